package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"al.essio.dev/pkg/shellescape"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"golang.org/x/sys/unix"

	"github.com/syncd-dev/syncd/internal/writable"
)

// patch replaces the first occurrence of old in the head of a zip part.
type patch struct{ old, new string }

// patchHead is how much of a part is held back to apply its patches: they
// all fall in the first bytes (a sheet's dimension, the workbook's list of
// sheets).
const patchHead = 64 << 10

// tempSuffix ends the name of the temporary file writeAtomic writes and
// of the directory spillDir makes, .NAME.RANDOM.syncd-report.tmp beside
// NAME, so that one a killed process left is told from other files,
// whatever NAME (see pruneTemps).
const tempSuffix = ".syncd-report.tmp"

// spillDir makes the directory that holds what excelize spills of a large
// streamed sheet (a sheet's rows beyond StreamChunkSize go to a temporary
// file: the day's names, emails, phones and messages),
// .NAME.RANDOM.syncd-report.tmp, mode 0700, and returns it, its flock
// held until release deletes it (mkdirHeld): beside the
// workbook path, or for a workbook written elsewhere (syncd report -out)
// in the reports directory reports when it is there and this user may
// write it. In os.TempDir() (/tmp) a report killed mid-way (kill -9, the
// OOM killer, a power cut) left them where no cleanup of syncd reaches;
// here build releases it when done, and pruneTemps deletes what a killed
// report left: in the reports directory, syncd purge and the daemon's
// prunes too, where beside an -out file only the next report into that
// folder would.
func spillDir(path, reports string) (spill string, release func(), err error) {
	name := "." + filepath.Base(path) + ".*" + tempSuffix
	if reports != "" {
		if st, err := os.Stat(reports); err == nil && st.IsDir() {
			if spill, held, err := mkdirHeld(reports, name); err == nil {
				giveToDirsOwner(spill, reports)
				return spill, removeHeld(spill, held), nil
			}
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", nil, fmt.Errorf("write workbook: %w", explainDir(dir, err))
	}
	spill, held, err := mkdirHeld(dir, name)
	if err != nil {
		return "", nil, fmt.Errorf("write workbook: %w", explainDir(dir, err))
	}
	giveToDirsOwner(spill, dir)
	return spill, removeHeld(spill, held), nil
}

// mkdirHeld is os.MkdirTemp(dir, pattern), the directory returned open
// with its flock held: pruneTemps deletes at once one whose flock no
// report holds, one a killed report left.
func mkdirHeld(dir, pattern string) (string, *os.File, error) {
	for try := 0; ; try++ {
		p, err := os.MkdirTemp(dir, pattern)
		if err != nil {
			return "", nil, err
		}
		f, err := os.Open(p)
		if err != nil {
			os.Remove(p)
			return "", nil, err
		}
		if stillHeld(f, p) || try == 2 {
			return p, f, nil
		}
		f.Close()
	}
}

// createHeld is os.CreateTemp(dir, pattern) with the file's flock held,
// as mkdirHeld.
func createHeld(dir, pattern string) (*os.File, error) {
	for try := 0; ; try++ {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil || stillHeld(f, f.Name()) || try == 2 {
			return f, err
		}
		f.Close()
	}
}

// stillHeld takes f's flock, waiting for a prune that took it between the
// making of f and now, and reports whether f is at p still: false where
// that prune deleted it (pruneTemps takes it for left by a killed report,
// from the moment it is there). A filesystem without flocks is left to
// pruneTemps' hour.
func stillHeld(f *os.File, p string) bool {
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		return true
	}
	fi, err := f.Stat()
	if err != nil {
		return true
	}
	li, err := os.Lstat(p)
	return err != nil && !errors.Is(err, fs.ErrNotExist) || err == nil && os.SameFile(fi, li)
}

// removeHeld deletes spill, then lets its flock go.
func removeHeld(spill string, held *os.File) func() {
	return func() {
		os.RemoveAll(spill)
		held.Close()
	}
}

// giveToDirsOwner gives spill, made by root (sudo syncd report) in dir,
// to dir's owner: the daemon, running as that user, may then delete what
// a report killed there left, root's files in it included, as it does the
// temporary workbooks root leaves in dir. Best effort: it is only cleanup.
func giveToDirsOwner(spill, dir string) {
	if os.Geteuid() != 0 {
		return
	}
	st, err := os.Stat(dir)
	if err != nil {
		return
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid != 0 {
		_ = os.Lchown(spill, int(sys.Uid), -1)
	}
}

// noRoom is err, from streaming rows that spill into spill (spillDir),
// said as writeAtomic says it (explainFull) where the disk had no room for
// them: it is the disk of the workbook path, or of the reports directory
// an -out workbook's rows spill into, and a large day's rows find it full
// before the workbook does.
func noRoom(path, spill string, err error) error {
	if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EDQUOT) {
		return err
	}
	return fmt.Errorf("write workbook: %w", explainFull(filepath.Base(path), filepath.Dir(spill), err))
}

// writeAtomic writes f to a temporary file beside path, syncs it and
// renames it into place, so that path is either the old file or the whole
// new one. It holds the temporary file's flock meanwhile: one a report
// killed before it was done left is deleted by the next (pruneTemps).
func writeAtomic(f *excelize.File, path string, patches map[string][]patch) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("write workbook: %w", explainDir(dir, err))
	}
	tmp, err := createHeld(dir, "."+filepath.Base(path)+".*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("write workbook: %w", explainDir(dir, err))
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	err = writeZip(f, tmp, patches)
	if err == nil {
		err = tmp.Chmod(0o640)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path) // its flock held until then (pruneTemps)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write workbook: %w", explainFull(filepath.Base(path), dir, err))
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; not every filesystem can
		d.Close()
	}
	return nil
}

// closeToOthers takes the others' permissions from the reports directory
// dir, one made by hand under umask 022 (or chmod 777): they could list
// the workbooks, or delete them and put their own in their place. The
// group's permissions and the setgid bit stay (the systemd layout is 2750
// syncd:syncd-reports). A dir not there yet is fine: writeAtomic makes it
// 0750. One that cannot be read (a path through a file, a parent closed to
// syncd) is left to the workbook's writing, which says what is wrong: it
// was said as a directory open to every local user.
func closeToOthers(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return nil
	}
	if m := st.Mode(); m.Perm()&0o007 != 0 {
		return os.Chmod(dir, m&^0o007&(fs.ModePerm|fs.ModeSetgid|fs.ModeSetuid|fs.ModeSticky))
	}
	return nil
}

// explainDir adds to err, dir not made or written for want of permission
// (a reports directory a first `sudo syncd report` left to root, say),
// which directory it is, whose and what to do.
func explainDir(dir string, err error) error {
	if !errors.Is(err, fs.ErrPermission) {
		return explainFull("the workbook", dir, err)
	}
	return writable.Explain(err, dir, filepath.Dir(dir))
}

// explainFull adds to err, the workbook (name) not written into dir for
// want of room (ENOSPC, or EDQUOT over a quota), where and what to do. The error
// named the temporary file alone (".leads-2026-12-03.xlsx.3317537261.
// syncd-report.tmp: no space left on device") and said nothing of what
// to do, nor that an earlier workbook of the day was left as it was.
// Other errors are returned as they are.
func explainFull(name, dir string, err error) error {
	if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EDQUOT) {
		return err
	}
	return fmt.Errorf("no room left for %s in %s (the disk is full or over quota): free space there (df -h %s), "+
		"or set report.dir to a disk with room; nothing was written (an earlier file of that day stays as it was): "+
		"a scheduled run is tried again by itself, and syncd report can be run again (%w)", name, dir, shellescape.Quote(dir), err)
}

// writeZip writes the workbook's zip straight into w. excelize's own
// Write assembles the whole zip in a bytes.Buffer first, which for a day of
// a million leads is some 100 MB more memory; handing it a zip writer on w
// skips that buffer. (excelize then patches nothing: its zip64 header
// fix-up only applies to parts over 4 GiB, which a day does not reach.)
// Deflate runs at BestSpeed: the sheet XML still shrinks about tenfold and
// the default level costs several times the CPU. It is klauspost's
// deflate, which at that level takes half the CPU of compress/flate's for
// a file some 5% larger, run on every core (parallelDeflate). Parts named
// in patches get them applied on the way.
func writeZip(f *excelize.File, w io.Writer, patches map[string][]patch) error {
	var pz *patchingZip
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return newParallelDeflate(out, flate.BestSpeed), nil
		})
		pz = &patchingZip{Writer: zw, patches: patches}
		return pz
	})
	return f.Write(io.Discard)
}

// patchingZip is a zip writer that holds back the head of each part with
// patches until it has enough of it, then patches it and writes it on.
type patchingZip struct {
	*zip.Writer
	patches map[string][]patch
	open    *patchingPart
}

// Create starts the next part, finishing the one before.
func (z *patchingZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.Writer.Create(name)
	if err != nil || z.patches[name] == nil {
		return w, err
	}
	z.open = &patchingPart{w: w, patches: z.patches[name]}
	return z.open, nil
}

// Close finishes the last part and the zip.
func (z *patchingZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	return z.Writer.Close()
}

func (z *patchingZip) finish() error {
	if z.open == nil {
		return nil
	}
	err := z.open.flush()
	z.open = nil
	return err
}

// patchingPart holds back the first patchHead bytes of a part.
type patchingPart struct {
	w       io.Writer
	patches []patch
	head    bytes.Buffer
	done    bool
}

func (p *patchingPart) Write(b []byte) (int, error) {
	if p.done {
		return p.w.Write(b)
	}
	p.head.Write(b)
	if p.head.Len() >= patchHead {
		if err := p.flush(); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// flush applies the patches to the head held back and writes it on.
func (p *patchingPart) flush() error {
	if p.done {
		return nil
	}
	p.done = true
	s := p.head.String()
	for _, pt := range p.patches {
		s = strings.Replace(s, pt.old, pt.new, 1)
	}
	_, err := io.WriteString(p.w, s)
	return err
}

// xmlEscape escapes s for an XML attribute.
func xmlEscape(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}
