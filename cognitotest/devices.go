package cognitotest

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

type attributeType struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type deviceType struct {
	DeviceAttributes            []attributeType `json:"DeviceAttributes"`
	DeviceCreateDate            float64         `json:"DeviceCreateDate"`
	DeviceKey                   string          `json:"DeviceKey"`
	DeviceLastAuthenticatedDate float64         `json:"DeviceLastAuthenticatedDate"`
	DeviceLastModifiedDate      float64         `json:"DeviceLastModifiedDate"`
}

// epochSeconds is how AWS JSON 1.1 sends timestamps.
func epochSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func describeDevice(d *device) deviceType {
	status := "not_remembered"
	if d.remembered {
		status = "remembered"
	}
	attrs := []attributeType{{Name: "device_status", Value: "valid"}}
	if d.name != "" {
		attrs = append(attrs, attributeType{Name: "device_name", Value: d.name})
	}
	attrs = append(attrs, attributeType{Name: "dev:device_remembered_status", Value: status})
	if d.lastIP != "" {
		attrs = append(attrs, attributeType{Name: "last_ip_used", Value: d.lastIP})
	}
	return deviceType{
		DeviceAttributes:            attrs,
		DeviceCreateDate:            epochSeconds(d.created),
		DeviceKey:                   d.key,
		DeviceLastAuthenticatedDate: epochSeconds(d.lastAuth),
		DeviceLastModifiedDate:      epochSeconds(d.modified),
	}
}

type confirmDeviceInput struct {
	AccessToken                string `json:"AccessToken"`
	DeviceKey                  string `json:"DeviceKey"`
	DeviceName                 string `json:"DeviceName"`
	DeviceSecretVerifierConfig *struct {
		PasswordVerifier string `json:"PasswordVerifier"`
		Salt             string `json:"Salt"`
	} `json:"DeviceSecretVerifierConfig"`
}

// confirmDevice stores the verifier of a device handed out in
// NewDeviceMetadata.
func (e *Handler) confirmDevice(rc *reqCtx, in *confirmDeviceInput) (any, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	if in.DeviceKey == "" {
		return nil, nullMember("deviceKey")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := g.user.devices[in.DeviceKey]
	if d == nil {
		return nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	cfg := in.DeviceSecretVerifierConfig
	if cfg == nil {
		return nil, invalidParam("DeviceSecretVerifierConfig is required to confirm a device.")
	}
	v, err := srp.ParseDeviceVerifierConfig(d.groupKey, d.key, cfg.Salt, cfg.PasswordVerifier)
	if err != nil {
		return nil, srpError(err)
	}
	d.verifier = v
	d.name = in.DeviceName
	d.modified = rc.now
	d.remembered = g.pool.tracking == trackingAlways
	return map[string]bool{"UserConfirmationNecessary": g.pool.tracking == trackingOptIn}, nil
}

type deviceInput struct {
	AccessToken            string `json:"AccessToken"`
	DeviceKey              string `json:"DeviceKey"`
	DeviceRememberedStatus string `json:"DeviceRememberedStatus"`
}

// deviceCaller authenticates a device call: it checks that in names an
// access token and a device key, and verifies the token. e.mu must not be
// held.
func (e *Handler) deviceCaller(rc *reqCtx, in *deviceInput) (*grant, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	if in.DeviceKey == "" {
		return nil, nullMember("deviceKey")
	}
	return e.checkAccessToken(rc, in.AccessToken)
}

// userDeviceLocked returns the device of the signed-in user g with the
// given key. e.mu must be held.
func userDeviceLocked(g *grant, key string) (*device, error) {
	d := g.user.devices[key]
	if d == nil {
		return nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	return d, nil
}

func (e *Handler) updateDeviceStatus(rc *reqCtx, in *deviceInput) (any, error) {
	switch in.DeviceRememberedStatus {
	case "remembered", "not_remembered":
	case "":
		return nil, nullMember("deviceRememberedStatus")
	default:
		return nil, validationError("'"+truncate(in.DeviceRememberedStatus, 64)+"'", "deviceRememberedStatus", enumConstraint([]string{"remembered", "not_remembered"}))
	}
	g, err := e.deviceCaller(rc, in)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, err := userDeviceLocked(g, in.DeviceKey)
	if err != nil {
		return nil, err
	}
	d.remembered = in.DeviceRememberedStatus == "remembered"
	d.modified = rc.now
	return struct{}{}, nil
}

func (e *Handler) forgetDevice(rc *reqCtx, in *deviceInput) (any, error) {
	g, err := e.deviceCaller(rc, in)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, err := userDeviceLocked(g, in.DeviceKey)
	if err != nil {
		return nil, err
	}
	e.forgetDeviceLocked(g.user, d)
	return struct{}{}, nil
}

func (e *Handler) getDevice(rc *reqCtx, in *deviceInput) (any, error) {
	g, err := e.deviceCaller(rc, in)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d, err := userDeviceLocked(g, in.DeviceKey)
	if err != nil {
		return nil, err
	}
	return map[string]deviceType{"Device": describeDevice(d)}, nil
}

type listDevicesInput struct {
	AccessToken     string `json:"AccessToken"`
	Limit           *int   `json:"Limit"`
	PaginationToken string `json:"PaginationToken"`
}

type listDevicesOutput struct {
	Devices         []deviceType `json:"Devices"`
	PaginationToken string       `json:"PaginationToken,omitempty"`
}

// maxListDevices is the largest Limit of ListDevices, as in Cognito.
const maxListDevices = 60

// listDevices lists the user's confirmed devices, oldest first.
func (e *Handler) listDevices(rc *reqCtx, in *listDevicesInput) (any, error) {
	limit := maxListDevices
	if in.Limit != nil {
		if *in.Limit < 0 || *in.Limit > maxListDevices {
			return nil, validationError(strconv.Itoa(*in.Limit), "limit", "Member must have value less than or equal to 60")
		}
		if *in.Limit > 0 {
			limit = *in.Limit
		}
	}
	start := 0
	if in.PaginationToken != "" {
		n, err := strconv.Atoi(in.PaginationToken)
		if err != nil || n < 0 {
			return nil, invalidParam("Invalid pagination token.")
		}
		start = n
	}
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var ds []*device
	for _, d := range g.user.devices {
		if d.confirmed() {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b *device) int {
		return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.key, b.key))
	})
	out := listDevicesOutput{Devices: []deviceType{}}
	for i := start; i < len(ds) && len(out.Devices) < limit; i++ {
		out.Devices = append(out.Devices, describeDevice(ds[i]))
	}
	if end := start + len(out.Devices); end < len(ds) {
		out.PaginationToken = strconv.Itoa(end)
	}
	return out, nil
}
