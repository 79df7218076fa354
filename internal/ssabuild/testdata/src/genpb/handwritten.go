package genpb

// Greet is not generated: always built.
func Greet(r *Reply) string { // want Greet:"built"
	return "hello " + r.GetText()
}
