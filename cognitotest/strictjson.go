package cognitotest

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// strictDecoder reads one JSON request body straight into an operation's
// typed input, enforcing the request limits while it reads: nothing is
// decoded into a generic value first, so a body costs about its own size in
// memory, and what the handler receives is exactly what was checked.
//
// Compared with encoding/json it is strict where encoding/json is lenient:
//   - A key may appear only once per object, and two keys of one object may
//     not differ only in ASCII case ("ChallengeResponses" and
//     "challengeresponses"): encoding/json would merge them into one field.
//   - Struct members match their JSON names exactly. A key that matches no
//     member (including a case variant of one) is checked against the limits
//     and ignored, as Cognito ignores unknown members.
//   - Strings (and keys) are limited to maxStringLen bytes once unescaped,
//     objects to maxMapEntries members, arrays to maxArrayLen items, nesting
//     to maxJSONDepth, whether or not the value is used.
//   - A value of the wrong JSON type for its member is left unset and
//     reported only once the whole body has been read: malformed JSON, a
//     limit or a repeated key anywhere in the body is reported first.
//
// Strings are unescaped as encoding/json does (invalid UTF-8 and lone
// surrogates become U+FFFD), so a body both accept decodes to the same value.
type strictDecoder struct {
	data []byte
	pos  int
	buf  []byte // scratch for unescaping skipped strings and keys
	keys []keyMark
	path []pathSegment // of the value being read, rendered only for errors
	// typeErr is the first value of the wrong JSON type for its member. It
	// is reported only once the whole body has been read and found within
	// the limits, so that a malformed or oversized member anywhere in the
	// body wins over a type error before it, and the input is filled with
	// every member of the right type (for the log line).
	typeErr *apiError
	// maxLen is the length limit (lengthLimits) of the member being read,
	// and of each string item when it is a list; 0 for none.
	maxLen int
}

// pathSegment is a member name, or an array item (its 1-based index) when
// key is nil.
type pathSegment struct {
	key []byte
	idx int
}

// memberPath renders the path of the value being read as Cognito's (Coral's)
// validation messages do: member names with a lower-case first letter, list
// items as ".N.member": "userAttributes.1.member.value".
func (d *strictDecoder) memberPath() string {
	var b strings.Builder
	for _, seg := range d.path {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if seg.key == nil {
			b.WriteString(strconv.Itoa(seg.idx))
			b.WriteString(".member")
			continue
		}
		if len(seg.key) > 0 && 'A' <= seg.key[0] && seg.key[0] <= 'Z' {
			b.WriteByte(seg.key[0] + 'a' - 'A')
			b.Write(seg.key[1:])
		} else {
			b.Write(seg.key)
		}
		if b.Len() > 200 {
			break
		}
	}
	return b.String()
}

// checkLength applies the member's limit from lengthLimits to s, counted as
// Cognito counts (in UTF-16 code units, as Java strings), with Cognito's
// message, which never quotes the value.
func (d *strictDecoder) checkLength(s string) error {
	if d.maxLen == 0 || len(s) <= d.maxLen {
		return nil // a UTF-16 length never exceeds the UTF-8 one
	}
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	if n <= d.maxLen {
		return nil
	}
	return limitError(d.memberPath(), fmt.Sprintf("Member must have length less than or equal to %d", d.maxLen))
}

// pathString renders the path of the value being read, as checkJSON did:
// "ChallengeResponses.USERNAME", "X[][]".
func (d *strictDecoder) pathString() string {
	var b strings.Builder
	for _, seg := range d.path {
		if seg.key == nil {
			b.WriteString("[]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(seg.key)
		if b.Len() > 200 {
			break
		}
	}
	return b.String()
}

// keyMark is a key of an object being read: its ASCII-folded hash and its
// unescaped bytes (a slice of the body when it had no escapes).
type keyMark struct {
	hash uint64
	key  []byte
}

func (d *strictDecoder) syntaxError() *apiError {
	return newError(errSerialization, "Could not parse the request body as JSON")
}

func (d *strictDecoder) limitError(constraint string) *apiError {
	return limitError(d.pathString(), constraint)
}

// mismatch notes a value of the wrong JSON type for its member; the value
// is left unset.
func (d *strictDecoder) mismatch() {
	if d.typeErr == nil {
		d.typeErr = typeError(d.pathString())
	}
}

func limitError(path, constraint string) *apiError {
	return invalidParam("1 validation error detected: Value at '%s' failed to satisfy constraint: %s", truncate(path, 100), constraint)
}

func typeError(path string) *apiError {
	return newError(errSerialization, "Unexpected JSON type for member %s", truncate(path, 100))
}

// decodeStrict decodes body, which must be one JSON object (or empty,
// meaning {}), into v, a pointer.
func decodeStrict(body []byte, v any) error {
	d := &strictDecoder{data: body}
	d.skipSpace()
	if d.pos == len(d.data) {
		return nil // treated as {}
	}
	if d.data[d.pos] != '{' {
		if err := d.value(reflect.Value{}, 0); err != nil {
			return err
		}
		return newError(errSerialization, "The request body is not a JSON object")
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic("cognitotest: internal error: decode into a non-pointer")
	}
	if err := d.value(rv.Elem(), 0); err != nil {
		return err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return newError(errSerialization, "Unexpected data after the JSON object")
	}
	if d.typeErr != nil {
		return d.typeErr
	}
	return nil
}

func (d *strictDecoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// value reads one JSON value into dst; an invalid dst means the value is
// only checked and skipped.
func (d *strictDecoder) value(dst reflect.Value, depth int) error {
	if depth > maxJSONDepth {
		return d.limitError(fmt.Sprintf("Member must not be nested more than %d levels deep", maxJSONDepth))
	}
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.syntaxError()
	}
	c := d.data[d.pos]
	// Follow pointers, allocating, unless the value is null.
	if dst.IsValid() && dst.Kind() == reflect.Pointer {
		if c == 'n' {
			if err := d.literal("null"); err != nil {
				return err
			}
			dst.SetZero()
			return nil
		}
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return d.value(dst.Elem(), depth)
	}
	switch c {
	case '{':
		return d.object(dst, depth)
	case '[':
		return d.array(dst, depth)
	case '"':
		want := dst.IsValid() && (dst.Kind() == reflect.String || dst.Kind() == reflect.Interface)
		s, err := d.str(want)
		if err != nil {
			return err
		}
		switch {
		case !dst.IsValid():
		case dst.Kind() == reflect.String:
			if err := d.checkLength(s); err != nil {
				return err
			}
			dst.SetString(s)
		case dst.Kind() == reflect.Interface && dst.NumMethod() == 0:
			dst.Set(reflect.ValueOf(s))
		default:
			d.mismatch()
		}
		return nil
	case 't', 'f':
		lit := "true"
		if c == 'f' {
			lit = "false"
		}
		if err := d.literal(lit); err != nil {
			return err
		}
		switch {
		case !dst.IsValid():
		case dst.Kind() == reflect.Bool:
			dst.SetBool(c == 't')
		case dst.Kind() == reflect.Interface && dst.NumMethod() == 0:
			dst.Set(reflect.ValueOf(c == 't'))
		default:
			d.mismatch()
		}
		return nil
	case 'n':
		if err := d.literal("null"); err != nil {
			return err
		}
		if dst.IsValid() {
			switch dst.Kind() {
			case reflect.Interface, reflect.Map, reflect.Slice:
				dst.SetZero()
			}
			// Like encoding/json, null leaves other values alone.
		}
		return nil
	default:
		return d.number(dst)
	}
}

func (d *strictDecoder) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) {
		return d.syntaxError()
	}
	for i := range len(lit) {
		if d.data[d.pos+i] != lit[i] {
			return d.syntaxError()
		}
	}
	d.pos += len(lit)
	return nil
}

// number reads a JSON number (RFC 8259 grammar) into dst.
func (d *strictDecoder) number(dst reflect.Value) error {
	start := d.pos
	p := d.pos
	if p < len(d.data) && d.data[p] == '-' {
		p++
	}
	digits := func() int {
		n := 0
		for p < len(d.data) && d.data[p] >= '0' && d.data[p] <= '9' {
			p++
			n++
		}
		return n
	}
	switch {
	case p < len(d.data) && d.data[p] == '0':
		p++
	case digits() == 0:
		return d.syntaxError()
	}
	if p < len(d.data) && d.data[p] == '.' {
		p++
		if digits() == 0 {
			return d.syntaxError()
		}
	}
	if p < len(d.data) && (d.data[p] == 'e' || d.data[p] == 'E') {
		p++
		if p < len(d.data) && (d.data[p] == '+' || d.data[p] == '-') {
			p++
		}
		if digits() == 0 {
			return d.syntaxError()
		}
	}
	d.pos = p
	if p-start > maxStringLen {
		return d.limitError(fmt.Sprintf("Member must have length less than or equal to %d", maxStringLen))
	}
	if !dst.IsValid() {
		return nil
	}
	lit := string(d.data[start:p])
	switch dst.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(lit, 10, 64)
		if err != nil || dst.OverflowInt(n) {
			d.mismatch()
			return nil
		}
		dst.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(lit, 10, 64)
		if err != nil || dst.OverflowUint(n) {
			d.mismatch()
			return nil
		}
		dst.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(lit, dst.Type().Bits())
		if err != nil {
			d.mismatch()
			return nil
		}
		dst.SetFloat(f)
	case reflect.Interface:
		if dst.NumMethod() != 0 {
			d.mismatch()
			return nil
		}
		f, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			d.mismatch()
			return nil
		}
		dst.Set(reflect.ValueOf(f))
	default:
		d.mismatch()
	}
	return nil
}

// str reads a string. When keep is false it only checks it (and returns "").
// Its unescaped length may not exceed maxStringLen.
func (d *strictDecoder) str(keep bool) (string, error) {
	b, _, err := d.rawString("Member must have length less than or equal to %d")
	if err != nil || !keep {
		return "", err
	}
	return string(b), nil
}

// rawString reads a string and returns its unescaped bytes: a slice of the
// body when there were no escapes (inBody), otherwise of d.buf (valid until
// the next call).
func (d *strictDecoder) rawString(constraint string) (b []byte, inBody bool, err error) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes, no control characters, valid UTF-8.
	for p := start; p < len(d.data); {
		c := d.data[p]
		if c == '"' {
			if p-start > maxStringLen {
				return nil, false, d.limitError(fmt.Sprintf(constraint, maxStringLen))
			}
			d.pos = p + 1
			return d.data[start:p], true, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		if c < utf8.RuneSelf {
			p++
			continue
		}
		r, size := utf8.DecodeRune(d.data[p:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		p += size
		if p-start > maxStringLen+4 {
			return nil, false, d.limitError(fmt.Sprintf(constraint, maxStringLen))
		}
	}
	// Slow path, as encoding/json's unquote.
	d.buf = d.buf[:0]
	p := start
	for {
		if len(d.buf) > maxStringLen {
			return nil, false, d.limitError(fmt.Sprintf(constraint, maxStringLen))
		}
		if p >= len(d.data) {
			return nil, false, d.syntaxError()
		}
		c := d.data[p]
		switch {
		case c == '"':
			d.pos = p + 1
			if len(d.buf) > maxStringLen {
				return nil, false, d.limitError(fmt.Sprintf(constraint, maxStringLen))
			}
			return d.buf, false, nil
		case c < 0x20:
			return nil, false, d.syntaxError()
		case c == '\\':
			if p+1 >= len(d.data) {
				return nil, false, d.syntaxError()
			}
			e := d.data[p+1]
			p += 2
			switch e {
			case '"', '\\', '/':
				d.buf = append(d.buf, e)
			case 'b':
				d.buf = append(d.buf, '\b')
			case 'f':
				d.buf = append(d.buf, '\f')
			case 'n':
				d.buf = append(d.buf, '\n')
			case 'r':
				d.buf = append(d.buf, '\r')
			case 't':
				d.buf = append(d.buf, '\t')
			case 'u':
				r, ok := hex4(d.data[p:])
				if !ok {
					return nil, false, d.syntaxError()
				}
				p += 4
				if utf16.IsSurrogate(r) {
					if len(d.data) >= p+6 && d.data[p] == '\\' && d.data[p+1] == 'u' {
						if r2, ok := hex4(d.data[p+2:]); ok {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								p += 6
								d.buf = utf8.AppendRune(d.buf, dec)
								break
							}
						}
					}
					r = utf8.RuneError
				}
				d.buf = utf8.AppendRune(d.buf, r)
			default:
				return nil, false, d.syntaxError()
			}
		case c < utf8.RuneSelf:
			d.buf = append(d.buf, c)
			p++
		default:
			r, size := utf8.DecodeRune(d.data[p:])
			p += size
			d.buf = utf8.AppendRune(d.buf, r) // RuneError for invalid UTF-8
		}
	}
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// foldHash is FNV-1a of b with ASCII letters lowered.
func foldHash(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func asciiEqualFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// object reads a JSON object into a struct, a map with string keys, an
// empty interface, or nothing.
func (d *strictDecoder) object(dst reflect.Value, depth int) error {
	var fields *structFields
	kind := reflect.Invalid
	if dst.IsValid() {
		kind = dst.Kind()
		switch {
		case kind == reflect.Struct:
			fields = cachedFields(dst.Type())
		case kind == reflect.Map && dst.Type().Key().Kind() == reflect.String:
			if dst.IsNil() {
				dst.Set(reflect.MakeMap(dst.Type()))
			}
		case kind == reflect.Interface && dst.NumMethod() == 0:
		default:
			d.mismatch()
			kind = reflect.Invalid // check it, but do not keep it
		}
	}
	var generic map[string]any
	if kind == reflect.Interface {
		generic = map[string]any{}
	}
	d.pos++ // {
	mark := len(d.keys)
	defer func() { d.keys = d.keys[:mark] }()
	n := 0
	for {
		d.skipSpace()
		if d.pos >= len(d.data) {
			return d.syntaxError()
		}
		if d.data[d.pos] == '}' && n == 0 {
			d.pos++
			break
		}
		if d.data[d.pos] != '"' {
			return d.syntaxError()
		}
		n++
		if n > maxMapEntries {
			return d.limitError(fmt.Sprintf("Map must have at most %d entries", maxMapEntries))
		}
		key, inBody, err := d.rawString("Map keys must have length less than or equal to %d")
		if err != nil {
			return err
		}
		if !inBody {
			key = append([]byte(nil), key...) // d.buf is reused
		}
		h := foldHash(key)
		for _, k := range d.keys[mark:] {
			if k.hash == h && asciiEqualFold(k.key, key) {
				d.path = append(d.path, pathSegment{key: key})
				return newError(errSerialization, "Duplicate member %s in the request body", truncate(d.pathString(), 100))
			}
		}
		d.keys = append(d.keys, keyMark{h, key})
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return d.syntaxError()
		}
		d.pos++
		d.path = append(d.path, pathSegment{key: key})
		outer := d.maxLen
		d.maxLen = 0
		switch kind {
		case reflect.Struct:
			fv, maxLen := fields.field(dst, key)
			d.maxLen = maxLen
			if err := d.value(fv, depth+1); err != nil {
				return err
			}
		case reflect.Map:
			ks := string(key)
			ev := reflect.New(dst.Type().Elem()).Elem()
			if err := d.value(ev, depth+1); err != nil {
				return err
			}
			dst.SetMapIndex(reflect.ValueOf(ks).Convert(dst.Type().Key()), ev)
		case reflect.Interface:
			ks := string(key)
			var x any
			if err := d.value(reflect.ValueOf(&x).Elem(), depth+1); err != nil {
				return err
			}
			generic[ks] = x
		default:
			if err := d.value(reflect.Value{}, depth+1); err != nil {
				return err
			}
		}
		d.maxLen = outer
		d.path = d.path[:len(d.path)-1]
		d.skipSpace()
		if d.pos >= len(d.data) {
			return d.syntaxError()
		}
		if d.data[d.pos] == ',' {
			d.pos++
			d.skipSpace()
			if d.pos < len(d.data) && d.data[d.pos] == '}' {
				return d.syntaxError() // trailing comma
			}
			continue
		}
		if d.data[d.pos] == '}' {
			d.pos++
			break
		}
		return d.syntaxError()
	}
	if kind == reflect.Interface {
		dst.Set(reflect.ValueOf(generic))
	}
	return nil
}

// array reads a JSON array into a slice, an empty interface, or nothing.
func (d *strictDecoder) array(dst reflect.Value, depth int) error {
	kind := reflect.Invalid
	if dst.IsValid() {
		kind = dst.Kind()
		switch {
		case kind == reflect.Slice:
			dst.Set(reflect.MakeSlice(dst.Type(), 0, 0))
		case kind == reflect.Interface && dst.NumMethod() == 0:
		default:
			d.mismatch()
			kind = reflect.Invalid // check it, but do not keep it
		}
	}
	var generic []any
	d.pos++ // [
	n := 0
	for {
		d.skipSpace()
		if d.pos >= len(d.data) {
			return d.syntaxError()
		}
		if d.data[d.pos] == ']' && n == 0 {
			d.pos++
			break
		}
		n++
		if n > maxArrayLen {
			return d.limitError(fmt.Sprintf("Member must have at most %d items", maxArrayLen))
		}
		d.path = append(d.path, pathSegment{idx: n})
		switch kind {
		case reflect.Slice:
			ev := reflect.New(dst.Type().Elem()).Elem()
			if err := d.value(ev, depth+1); err != nil {
				return err
			}
			dst.Set(reflect.Append(dst, ev))
		case reflect.Interface:
			var x any
			if err := d.value(reflect.ValueOf(&x).Elem(), depth+1); err != nil {
				return err
			}
			generic = append(generic, x)
		default:
			if err := d.value(reflect.Value{}, depth+1); err != nil {
				return err
			}
		}
		d.path = d.path[:len(d.path)-1]
		d.skipSpace()
		if d.pos >= len(d.data) {
			return d.syntaxError()
		}
		if d.data[d.pos] == ',' {
			d.pos++
			d.skipSpace()
			if d.pos < len(d.data) && d.data[d.pos] == ']' {
				return d.syntaxError()
			}
			continue
		}
		if d.data[d.pos] == ']' {
			d.pos++
			break
		}
		return d.syntaxError()
	}
	if kind == reflect.Interface {
		if generic == nil {
			generic = []any{}
		}
		dst.Set(reflect.ValueOf(generic))
	}
	return nil
}

// structFields maps the exact JSON names of a struct's exported fields to
// their indexes, those of the structs it embeds (by value, without a JSON
// name) to their index paths, as encoding/json promotes them: a member of
// the outer struct hides an embedded one of the same name; and the names of
// members with a length limit (lengthLimits, of the struct that declares
// them) to the limit.
type structFields struct {
	byName   map[string]int
	promoted map[string][]int
	maxLen   map[string]int
}

var fieldCache sync.Map // reflect.Type → *structFields

func cachedFields(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{byName: map[string]int{}, maxLen: map[string]int{}}
	var embedded []int
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, tagged := sf.Tag.Lookup("json")
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && !tagged {
			embedded = append(embedded, i)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		name := sf.Name
		if tagged {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" {
				continue
			}
			if n != "" {
				name = n
			}
		}
		f.byName[name] = i
	}
	for _, i := range embedded {
		sub := cachedFields(t.Field(i).Type)
		add := func(name string, path []int) {
			if _, ok := f.byName[name]; ok {
				return
			}
			if f.promoted == nil {
				f.promoted = map[string][]int{}
			}
			if _, ok := f.promoted[name]; ok {
				panic("cognitotest: internal error: " + t.String() + " embeds two members named " + name)
			}
			f.promoted[name] = append([]int{i}, path...)
			if n, ok := sub.maxLen[name]; ok {
				f.maxLen[name] = n
			}
		}
		for name, j := range sub.byName {
			add(name, []int{j})
		}
		for name, path := range sub.promoted {
			add(name, path)
		}
	}
	// The limits of t's own members, and of promoted ones that t names.
	for name, n := range lengthLimits[t] {
		_, own := f.byName[name]
		_, promoted := f.promoted[name]
		if !own && !promoted {
			panic("cognitotest: internal error: lengthLimits names " + t.Name() + "." + name + ", which does not exist")
		}
		f.maxLen[name] = n
	}
	fieldCache.Store(t, f)
	return f
}

// field is the member of struct v named name, or an invalid value.
func (f *structFields) field(v reflect.Value, name []byte) (field reflect.Value, maxLen int) {
	if i, ok := f.byName[string(name)]; ok {
		return v.Field(i), f.maxLen[string(name)]
	}
	if path, ok := f.promoted[string(name)]; ok {
		return v.FieldByIndex(path), f.maxLen[string(name)]
	}
	return reflect.Value{}, 0
}
