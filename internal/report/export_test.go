package report

// TitleWidth is the width in digits a column title takes in bold, with a
// digit's width to spare beside it (runeWidth's letters, a twentieth
// wider for bold).
func TitleWidth(title string) float64 {
	n := 0.0
	for _, r := range title {
		n += runeWidth(r)
	}
	return n*1.05 + 1
}

// FitWidth is the least whole width of a column that shows s on one line.
func FitWidth(s string) float64 { return fitWidth(s, styles{}) }
