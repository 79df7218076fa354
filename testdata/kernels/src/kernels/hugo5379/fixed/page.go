// Package fixed is gohugoio/hugo#5379 as fixed: the one-time
// initialisation runs without contentInitMu, which guards only the
// summary.
package fixed

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
	p.contentInit.Do(func() {
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
