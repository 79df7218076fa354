package resolve

import (
	"context"
	"net/http"
)

// handleWarm: this file uses package context only to call Background, so
// replacing it would leave the import unused: reported without a fix.
func handleWarm(w http.ResponseWriter, r *http.Request) {
	warm(context.Background()) // want `context.Background\(\) discards r.Context\(\) in scope`
}
