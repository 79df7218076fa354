// Package hugo5379 has the shape of gohugoio/hugo#5379: initialising the
// content of a page takes contentInitMu and runs the one-time
// initialisation under it; that initialisation renders shortcodes which
// ask for the content of the same page, taking contentInitMu again.
//
// kernel: double-lock gohugoio/hugo#5379
package hugo5379

import "sync"

// Page is a content page.
type Page struct {
	contentInitMu   sync.Mutex
	contentInit     sync.Once
	content         string
	shortcodeOutput string
	raw             string
}

func (p *Page) initContent() {
	p.contentInitMu.Lock()
	defer p.contentInitMu.Unlock()
	p.contentInit.Do(func() { // bug: lockpair
		p.renderShortcodes()
		p.content = p.raw + p.shortcodeOutput
	})
}

func (p *Page) renderShortcodes() {
	p.shortcodeOutput = p.Summary()
}

// Summary is the first part of the content.
func (p *Page) Summary() string {
	p.contentInitMu.Lock()
	defer p.contentInitMu.Unlock()
	if len(p.raw) > 70 {
		return p.raw[:70]
	}
	return p.raw
}

// Content returns the rendered content.
func (p *Page) Content() string {
	p.initContent()
	return p.content
}
