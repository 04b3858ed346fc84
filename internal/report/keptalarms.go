package report

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// keptAlarms are the alarm banners of the workbook at path, one this
// syncd or an earlier one made that the store does not record (see
// book.keptFirst): the Summary's cells in column A that begin "ALARM: ",
// read from the Summary's part and the shared strings alone, however big
// the detail sheets. They are taken as recordedAlarms takes a summary's
// lines: the alarms the rows raise are raised anew.
func keptAlarms(path string) ([]Alarm, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("kept workbook's alarms: %w", err)
	}
	defer z.Close()
	type cell struct {
		shared int // the shared string's index, or -1
		text   string
	}
	var cells []cell // column A's, in order
	err = readPart(&z.Reader, "xl/worksheets/sheet1.xml", func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "c" {
			return nil
		}
		var c struct {
			R  string `xml:"r,attr"`
			T  string `xml:"t,attr"`
			V  string `xml:"v"`
			IS struct {
				T string `xml:"t"`
			} `xml:"is"`
		}
		if err := d.DecodeElement(&c, &se); err != nil || len(c.R) < 2 || c.R[0] != 'A' || c.R[1] < '0' || c.R[1] > '9' {
			return err
		}
		switch c.T {
		case "s":
			if i, err := strconv.Atoi(c.V); err == nil {
				cells = append(cells, cell{shared: i})
			}
		case "str", "inlineStr":
			cells = append(cells, cell{shared: -1, text: c.V + c.IS.T})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	want := map[int]string{}
	for _, c := range cells {
		if c.shared >= 0 {
			want[c.shared] = ""
		}
	}
	n := 0
	err = readPart(&z.Reader, "xl/sharedStrings.xml", func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "si" {
			return nil
		}
		var si struct {
			T string   `xml:"t"`
			R []string `xml:"r>t"`
		}
		if err := d.DecodeElement(&si, &se); err != nil {
			return err
		}
		if _, ok := want[n]; ok {
			want[n] = si.T + strings.Join(si.R, "")
		}
		n++
		return nil
	})
	if err != nil {
		return nil, err
	}
	var text strings.Builder // as the summary's text has them: an alarm a line
	for _, c := range cells {
		if c.shared >= 0 {
			c.text = want[c.shared]
		}
		if strings.HasPrefix(c.text, "ALARM: ") {
			text.WriteString(strings.ReplaceAll(c.text, "\n", " ") + "\n")
		}
	}
	return recordedAlarms(Record{Summary: text.String()}), nil
}

// readPart calls fn for each element that starts in the zip part name of
// z; a part not there is no element.
func readPart(z *zip.Reader, name string, fn func(*xml.Decoder, xml.StartElement) error) error {
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return fmt.Errorf("kept workbook's alarms: %w", err)
		}
		defer r.Close()
		d := xml.NewDecoder(r)
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("kept workbook's alarms: %s: %w", name, err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				if err := fn(d, se); err != nil {
					return fmt.Errorf("kept workbook's alarms: %s: %w", name, err)
				}
			}
		}
	}
	return nil
}
