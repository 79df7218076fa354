// Package slog is a stub of golang.org/x/exp/slog: its level functions
// and their Ctx variants, which carry the context's values.
package slog

import "context"

func Info(msg string, args ...any)                         {}
func InfoCtx(ctx context.Context, msg string, args ...any) {}
func Warn(msg string, args ...any)                         {}
func WarnCtx(ctx context.Context, msg string, args ...any) {}
