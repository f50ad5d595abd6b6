package srp

import "time"

// TimestampLayout is the layout of Cognito's TIMESTAMP challenge response, in
// the notation of package time: UTC, English names, the day of the month not
// padded, a 24-hour clock. For example "Tue Jan 1 06:06:09 UTC 2019".
const TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// FormatTimestamp formats t, converted to UTC, as Cognito's TIMESTAMP.
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format(TimestampLayout)
}

// ParseTimestamp parses a TIMESTAMP and accepts only the exact form that
// [FormatTimestamp] produces, as Cognito does.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(TimestampLayout, s)
	if err != nil || FormatTimestamp(t) != s {
		return time.Time{}, paramErr("TIMESTAMP", errMalformedTimestamp)
	}
	return t, nil
}
