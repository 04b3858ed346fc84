package mapping

import "testing"

// TestHTMLTextKeepsTheColumnsUnderACellSpanningRows: a cell across rows
// (rowspan) was taken for a cell of its first row alone, so in the rows
// under it each cell moved a column left: a portal's "Flat 1" over "Rent"
// and "Deposit" read "Deposit | 1500" under "Flat 1 | Rent | 1200", the
// deposit in the property's column. The rows under such a cell keep its
// column, written as a blank cell is ("| " before a row's first text,
// "| |" within it); a column with text in no row (a layout's spacer
// across rows) still adds nothing.
func TestHTMLTextKeepsTheColumnsUnderACellSpanningRows(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"first column", `<table><tr><td rowspan="2">Flat 1</td><td>Rent</td><td>1200</td></tr>` +
			`<tr><td>Deposit</td><td>1500</td></tr><tr><td>Flat 2</td><td>Rent</td><td>900</td></tr></table>`,
			"Flat 1 | Rent | 1200\n| Deposit | 1500\nFlat 2 | Rent | 900"},
		{"middle column", `<table><tr><td>A</td><td rowspan=2>X</td><td>1</td></tr><tr><td>B</td><td>2</td></tr></table>`,
			"A | X | 1\nB | | 2"},
		{"a header across rows and columns", `<table><tr><th rowspan="2">Viewing</th><th colspan="2">Slot</th></tr>` +
			`<tr><th>Date</th><th>Time</th></tr><tr><td>1</td><td>Mon</td><td>10:00</td></tr></table>`,
			"Viewing | Slot\n| Date | Time\n1 | Mon | 10:00"},
		{"rowspan before colspan", `<table><tr><td rowspan="2" colspan="2">Both</td><td>a</td></tr>` +
			`<tr><td>b</td></tr><tr><td>c</td><td>d</td><td>e</td></tr></table>`,
			"Both | a\n| | b\nc | d | e"},
		{"three rows", `<table><tr><td rowspan="3">Kim</td><td>Mon</td></tr><tr><td>Tue</td></tr>` +
			`<tr><td>Wed</td></tr><tr><td>Jo</td><td>Thu</td></tr></table>`,
			"Kim | Mon\n| Tue\n| Wed\nJo | Thu"},
		{"a spacer across rows", `<table><tr><td rowspan="3" width="20"></td><td>Name</td><td>Jo</td></tr>` +
			`<tr><td>Phone</td><td>07700 900123</td></tr><tr><td>Budget</td><td>£2,000</td></tr></table>`,
			"Name | Jo\nPhone | 07700 900123\nBudget | £2,000"},
		{"no rowspan", `<table><tr><td>Name</td><td>Jo</td></tr><tr><td>Budget</td><td>£2,000</td></tr></table>`,
			"Name | Jo\nBudget | £2,000"},
	} {
		if got := HTMLText(tc.in); got != tc.want {
			t.Errorf("%s: %q reads\n%s\nwant\n%s", tc.name, tc.in, got, tc.want)
		}
	}
}
