package api

import (
	"context"
	"os/exec"
	"path/filepath"
)

// Thumbnailer renders product thumbnails with an external image tool.
type Thumbnailer struct {
	tool string
	dir  string
}

// Render resizes the product image; the tool keeps running when the
// client disconnects.
func (t *Thumbnailer) Render(ctx context.Context, sku string) (string, error) {
	src := filepath.Join(t.dir, "src", sku+".png")
	dst := filepath.Join(t.dir, sku+".128.png")
	cmd := exec.Command(t.tool, "-resize", "128x128", src, dst) // bug: not killed when ctx is cancelled
	return dst, cmd.Run()
}

// Version has no context to pass on.
func (t *Thumbnailer) Version() (string, error) {
	out, err := exec.Command(t.tool, "-version").Output()
	return string(out), err
}
