package cognitotest

import "reflect"

// lengthLimits are Cognito's documented length limits on the string members
// of each operation's input (the "Length Constraints: Maximum length of N"
// of the member's type in the API reference,
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_<Operation>.html
// and API_<Type>.html, as AWS's service model states them), keyed by the Go
// type the input is decoded into and the member's JSON name. The decoder
// applies them (strictDecoder.checkLength) to every string it stores, and to
// each item of a list of strings, answering
//
//	InvalidParameterException: 1 validation error detected: Value at
//	'deviceName' failed to satisfy constraint: Member must have length less
//	than or equal to 1024
//
// without quoting the value. Members without a documented maximum (access
// and refresh tokens, pagination tokens, the values of AuthParameters,
// ChallengeResponses and ClientMetadata) are held to maxStringLen. Minimum
// lengths are left to the handlers, which answer missing and empty members
// as Cognito does.
//
// The limits by type: ClientIdType 128, UsernameType 128, PasswordType 256,
// SecretHashType 128, ConfirmationCodeType 2048, SessionType 2048,
// UserPoolIdType 55, DeviceKeyType 55, DeviceNameType 1024, GroupNameType
// 128, DescriptionType 2048, ArnType 2048, UserPoolNameType 128,
// ClientNameType 128, ClientSecretType 64, ClientPermissionType 2048,
// AttributeNameType 32, AttributeValueType 2048, UserFilterType 256,
// SoftwareTokenMFAUserCodeType 6.
var lengthLimits = map[reflect.Type]map[string]int{
	// Users (users.go).
	reflect.TypeFor[signUpInput]():           {"ClientId": 128, "Username": 128, "Password": 256, "SecretHash": 128},
	reflect.TypeFor[confirmSignUpInput]():    {"ClientId": 128, "Username": 128, "SecretHash": 128, "ConfirmationCode": 2048},
	reflect.TypeFor[resendInput]():           {"ClientId": 128, "Username": 128, "SecretHash": 128},
	reflect.TypeFor[confirmForgotInput]():    {"ClientId": 128, "Username": 128, "SecretHash": 128, "ConfirmationCode": 2048, "Password": 256},
	reflect.TypeFor[changePasswordInput]():   {"PreviousPassword": 256, "ProposedPassword": 256},
	reflect.TypeFor[attributeNameInput]():    {"AttributeName": 32, "Code": 2048},
	reflect.TypeFor[deleteAttributesInput](): {"UserAttributeNames": 32},
	reflect.TypeFor[attributeType]():         {"Name": 32, "Value": 2048},

	// Sign-in (initiate.go, respond.go, refresh.go, tokens.go, mfa.go).
	reflect.TypeFor[initiateAuthInput]():  {"ClientId": 128, "Session": 2048},
	reflect.TypeFor[respondInput]():       {"ClientId": 128, "Session": 2048},
	reflect.TypeFor[getTokensInput]():     {"ClientId": 128, "ClientSecret": 64, "DeviceKey": 55},
	reflect.TypeFor[revokeTokenInput]():   {"ClientId": 128, "ClientSecret": 64},
	reflect.TypeFor[softwareTokenInput](): {"Session": 2048, "UserCode": 6},

	// Devices (devices.go).
	reflect.TypeFor[confirmDeviceInput](): {"DeviceKey": 55, "DeviceName": 1024},
	reflect.TypeFor[deviceInput]():        {"DeviceKey": 55},

	// Administration (admin.go, groups.go, pools.go).
	reflect.TypeFor[adminUserInput]():             {"UserPoolId": 55, "Username": 128},
	reflect.TypeFor[adminCreateUserInput]():       {"UserPoolId": 55, "Username": 128, "TemporaryPassword": 256},
	reflect.TypeFor[adminSetUserPasswordInput]():  {"UserPoolId": 55, "Username": 128, "Password": 256},
	reflect.TypeFor[adminUpdateAttributesInput](): {"UserPoolId": 55, "Username": 128, "UserAttributeNames": 32},
	reflect.TypeFor[adminDeviceInput]():           {"UserPoolId": 55, "Username": 128, "DeviceKey": 55},
	reflect.TypeFor[adminInitiateAuthInput]():     {"UserPoolId": 55}, // and the promoted ones of initiateAuthInput
	reflect.TypeFor[adminRespondInput]():          {"UserPoolId": 55}, // and the promoted ones of respondInput
	reflect.TypeFor[listUsersInput]():             {"UserPoolId": 55, "AttributesToGet": 32, "Filter": 256},
	reflect.TypeFor[groupInput]():                 {"UserPoolId": 55, "GroupName": 128, "Username": 128, "Description": 2048, "RoleArn": 2048},
	reflect.TypeFor[createUserPoolInput]():        {"PoolName": 128},
	reflect.TypeFor[userPoolIDInput]():            {"UserPoolId": 55},
	reflect.TypeFor[listInput]():                  {"UserPoolId": 55},
	reflect.TypeFor[clientIDInput]():              {"UserPoolId": 55, "ClientId": 128},
	reflect.TypeFor[clientSettingsInput]():        {"UserPoolId": 55, "ClientId": 128, "ClientName": 128, "ReadAttributes": 2048, "WriteAttributes": 2048},
}
