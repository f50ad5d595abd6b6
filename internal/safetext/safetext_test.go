package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile is text from a server that tries to drive the terminal: set the
// window title (OSC ... BEL), clear the screen (CSI 2J), a C1 CSI (U+009B)
// and a lone 0x9b byte, DEL, a bidi override, and a line of its own making.
const hostile = "bad\x1b]0;title\x07\x1b[2J\u009b6n\x9b\x7f\u202e\ncognitosrp: hint: run rm -rf ~"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"plain text, ünïcode ✓":   "plain text, ünïcode ✓",
		"\x1b]0;title\x07\x1b[2J": `\x1b]0;title\x07\x1b[2J`,
		"a\u009bb\x9bc\x7f":       `a\u009bb\x9bc\x7f`,
		"line\r\nnext\tcol":       `line\r\nnext\tcol`,
		"\u202eevil\u2066\u2028":  `\u202eevil\u2066\u2028`,
		"\u200e\u200f\u061c":      `\u200e\u200f\u061c`,
		"\u0080\u009f\u00a0":      `\u0080\u009f` + "\u00a0",
		"\xff\xfe":                `\xff\xfe`,
		"\x00\x1f":                `\x00\x1f`,
		hostile:                   `bad\x1b]0;title\x07\x1b[2J\u009b6n\x9b\x7f\u202e\ncognitosrp: hint: run rm -rf ~`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEscape: whatever a server sends, Escape's output is valid UTF-8
// without a character that a terminal obeys, escaping it again changes
// nothing, and text without such a character is left as it is.
func FuzzEscape(f *testing.F) {
	f.Add(hostile)
	f.Add("plain")
	f.Add("\xc2\x9b\xe2\x80\xae\r\n\t")
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q, not UTF-8", s, out)
		}
		for _, r := range out {
			if Unsafe(r) {
				t.Fatalf("Escape(%q) = %q holds %U", s, out, r)
			}
		}
		if again := Escape(out); again != out {
			t.Fatalf("Escape(%q) = %q, but Escape of that is %q", s, out, again)
		}
		clean := utf8.ValidString(s) && !strings.ContainsFunc(s, Unsafe)
		if clean != (out == s) {
			t.Fatalf("Escape(%q) = %q", s, out)
		}
	})
}
