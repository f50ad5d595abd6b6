package flows

import "fmt"

// String describes o without its client secret. Options, Client, Answer and
// Challenge have String and GoString methods with value receivers, so that
// no fmt verb prints a secret held in them.
func (o Options) String() string {
	secret := "none"
	if o.ClientSecret != "" {
		secret = "[redacted]"
	}
	return fmt.Sprintf("flows.Options{ClientSecret: %s, DeviceStore: %T, RememberDevices: %v, DeviceName: %q, MaxChallenges: %d}",
		secret, o.DeviceStore, o.RememberDevices, o.DeviceName, o.MaxChallenges)
}

// GoString is like String.
func (o Options) GoString() string { return o.String() }

// String describes c without its client secret.
func (c Client) String() string {
	return fmt.Sprintf("flows.Client{UserPoolID: %q, ClientID: %q, Options: %s}", c.userPoolID, c.clientID, c.opts)
}

// GoString is like String.
func (c Client) GoString() string { return c.String() }

// String describes a without its value, which may be a password or a code.
func (a Answer) String() string {
	return fmt.Sprintf("flows.Answer{Value: [redacted], UserAttributes: %d}", len(a.UserAttributes))
}

// GoString is like String.
func (a Answer) GoString() string { return a.String() }

// String describes c without its TOTP secret code.
func (c Challenge) String() string {
	return fmt.Sprintf("flows.Challenge{Name: %s, Username: %q}", c.Name, c.Username)
}

// GoString is like String.
func (c Challenge) GoString() string { return c.String() }
