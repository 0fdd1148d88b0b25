package catalogimport

import (
	"context"
	"testing"
)

// Every type the events index imports must resolve to an interface with a
// type, directly or through a union; one that does not fails the import.
func TestSlackResolvesEveryImportedType(t *testing.T) {
	index := "import type { AppMentionEvent } from './app';\nimport type { AllMessageEvents } from './message';\n"
	for i := 0; i < 20; i++ {
		index += "import type { AppMentionEvent } from './app';\n"
	}
	files := map[string]string{
		slackEventsIndex:       index,
		"dist/events/app.d.ts": "export interface AppMentionEvent {\n    type: 'app_mention';\n}\n",
		"dist/events/message.d.ts": "export type AllMessageEvents = GenericMessageEvent | BotMessageEvent;\n" +
			"export interface GenericMessageEvent {\n    type: 'message';\n}\n" +
			"export interface BotMessageEvent {\n    type: 'message';\n    subtype: 'bot_message';\n}\n",
	}
	_, err := importSlack(context.Background(), fakeNPM(slackTypes, files), testOverlay())
	// app_mention and message, once each.
	wantError(t, err, "2 events, fewer than the 88 expected")

	files["dist/events/message.d.ts"] = "export type AllMessageEvents = GenericMessageEvent | BotMessageEvent;\n" +
		"export interface GenericMessageEvent {\n    type: 'message';\n}\n"
	_, err = importSlack(context.Background(), fakeNPM(slackTypes, files), testOverlay())
	wantError(t, err, "dist/events/message.d.ts", "AllMessageEvents", "BotMessageEvent")
}
