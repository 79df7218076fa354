package lockflow

import (
	"testing"

	"github.com/concvet/concvet/internal/factenc/factenctest"
)

func TestSummaryCodec(t *testing.T) { factenctest.RoundTrip(t, 300, (*Summary).load) }
