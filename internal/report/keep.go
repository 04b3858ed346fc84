package report

import (
	"errors"
	"io/fs"
	"os"
)

// Prune deletes the workbooks in opts.Dir whose day is more than opts.Keep
// days before today, as Make does after each report. On a shared store only
// the report leader makes reports, so every instance prunes its own
// directory too: what it made while it led stays no longer than on one
// instance. A directory not made yet has nothing to prune.
func Prune(opts Options) error {
	if err := opts.defaults(); err != nil {
		return err
	}
	if _, err := os.Stat(opts.Dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return prune(opts.Dir, DayOf(opts.Now(), opts.Location), opts.Keep, opts.Log)
}
