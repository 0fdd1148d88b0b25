package store

import (
	"context"
	"testing"
	"time"
)

func TestPairingWindow(t *testing.T) {
	dialects(t, func(t *testing.T, o Options) {
		s := open(t, o, &handler{calls: map[string]int{}})
		ctx := context.Background()
		now := time.Now()
		if ok, err := s.Pair(ctx, "asana", "planted", now); ok || err != nil {
			t.Fatalf("paired without a window: %v %v", ok, err)
		}
		if err := s.OpenPairing(ctx, "asana", now.Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.Pair(ctx, "other", "x", now); ok || err != nil {
			t.Fatalf("another provider used asana's window: %v %v", ok, err)
		}
		if ok, err := s.Pair(ctx, "asana", "first", now); !ok || err != nil {
			t.Fatalf("pair in the window: %v %v", ok, err)
		}
		if ok, _ := s.Pair(ctx, "asana", "second", now); ok {
			t.Fatal("a window took two secrets")
		}
		if err := s.OpenPairing(ctx, "asana", now.Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Pair(ctx, "asana", "late", now); ok {
			t.Fatal("an expired window took a secret")
		}
		_ = s.OpenPairing(ctx, "asana", now.Add(time.Minute))
		if ok, _ := s.Pair(ctx, "asana", "rotated", now.Add(time.Second)); !ok {
			t.Fatal("a new window refused")
		}
		got, err := s.Secrets(ctx, "asana")
		if err != nil || len(got) != 2 || string(got[0]) != "rotated" || string(got[1]) != "first" {
			t.Fatalf("secrets %q %v", got, err)
		}
		if n, err := s.Unpair(ctx, "asana"); n != 2 || err != nil {
			t.Fatalf("unpair %d %v", n, err)
		}
		if got, _ := s.Secrets(ctx, "asana"); len(got) != 0 {
			t.Fatalf("secrets after unpair: %q", got)
		}
	})
}
