package flows

// SetMidWriteHook makes s call f in the middle of writing its temporary
// file.
func SetMidWriteHook(s *FileStore, f func()) { s.midWrite = f }

// SetJoinHook makes s call f whenever a caller waits for a refresh that
// another caller started.
func SetJoinHook(s *TokenSource, f func()) { s.joined = f }
