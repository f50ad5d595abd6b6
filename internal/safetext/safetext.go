// Package safetext escapes text from the network before a program shows it
// on a terminal, so that the text is shown, never obeyed: a server's error
// message, a challenge's parameters (a masked delivery destination, the
// names of MFA types and attributes), a token. It is shared by the command
// (cmd/cognitosrp) and the terminal challenge handler (flows/terminal).
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that a terminal could take for a
// command escaped: the C0 controls (ESC, BEL, CR, and newline and tab too:
// text from outside never gets to start a line of ours), DEL, the C1
// controls (U+0080 to U+009F; U+009B is CSI), bytes that are not UTF-8 (a
// lone 0x9b is CSI to an 8-bit terminal), and the bidirectional and
// line-separator formatting characters that can make text read other than
// it is. They are written as Go escapes: \n, \x1b, \u009b, \xff.
//
// The result is valid UTF-8 and holds no character for which [Unsafe]
// reports true, so Escape(Escape(s)) == Escape(s); text that holds no such
// character is returned as it is.
func Escape(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || Unsafe(r) })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for s = s[i:]; s != ""; {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && Unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// Unsafe reports whether [Escape] escapes the character r.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional embeddings, overrides, isolates and marks
	case r == 0x2028, r == 0x2029:
		return true // line and paragraph separators
	}
	return false
}
