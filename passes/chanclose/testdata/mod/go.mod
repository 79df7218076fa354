module myapp

go 1.26
