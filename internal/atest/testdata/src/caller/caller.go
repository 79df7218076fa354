// Package caller calls a loud function of another package: the probe
// reports it through the fact of greet.
package caller

import "greet"

func Use() {
	greet.LoudWave() // want `call of loud function greet.LoudWave`
}
