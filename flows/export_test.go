package flows

// SetTestHookMidWrite sets a function that FileStore calls in the middle of
// writing its temporary file.
func SetTestHookMidWrite(f func()) { testHookMidWrite = f }
