package flows

// SetMidWriteHook makes s call f in the middle of writing its temporary
// file.
func SetMidWriteHook(s *FileStore, f func()) { s.file.MidWrite = f }
