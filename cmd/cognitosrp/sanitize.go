package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cognitosrp/cognitosrp/internal/safetext"
)

// sanitize is [safetext.Escape], which escapes every character of s that a
// terminal could take for a command, so that text from the network (a
// server's error message, a challenge's parameters, a token) is shown,
// never obeyed.
//
// Every print site of the command that can show such text goes through
// sanitize, directly or through [printLines]; the challenge prompts of
// package flows/terminal escape with safetext too.
func sanitize(s string) string { return safetext.Escape(s) }

// printLines writes text, which may hold several lines of the command's own
// making, as lines that each start with prefix, sanitizing each line.
func printLines(w io.Writer, prefix, text string) {
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintf(w, "%s%s\n", prefix, sanitize(l))
	}
}
