// Package noecho turns a terminal's echo off before a program shows the
// prompt for a secret, so that what the user types as soon as the prompt
// appears, or types ahead of it, is never echoed: golang.org/x/term's
// ReadPassword turns echo off only once it starts reading, after the
// prompt. Shared by the command (cmd/cognitosrp) and [NoEcho] of package
// flows/terminal.
//
// [NoEcho]: https://pkg.go.dev/github.com/cognitosrp/cognitosrp/flows/terminal#NoEcho
package noecho
