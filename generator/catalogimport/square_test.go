package catalogimport

import (
	"context"
	"testing"
)

const squareHeader = "import type * as Square from \"../index\";\n"

// The event type comes from the type member's doc comment; an interface
// that names none and is not mapped by hand fails the import.
func TestSquareReadsTypesFromDocComments(t *testing.T) {
	f := fakeNPM(squareSDK, map[string]string{
		"api/types/VendorCreatedEvent.d.ts": squareHeader + `/**
 * Published when a [Vendor](entity:Vendor) is created.
 *
 * Deprecated at Square API version 2099-01-01.
 */
export interface VendorCreatedEvent {
    /** The ID of a seller associated with this event. */
    merchantId?: string | null;
    /** The type of this event. The value is ` + "`\"vendor.created\".`" + ` */
    type?: string | null;
    /** A unique ID for this event. */
    eventId?: string | null;
    /** The data associated with this event. */
    data?: Square.VendorCreatedEventData;
}`,
		"api/types/LoyaltyEvent.d.ts": squareHeader + `export interface LoyaltyEvent {
    id: string;
    type: Square.LoyaltyEventType;
}`,
	})
	files, err := npmFilesMatching(context.Background(), f, squareSDK, squareEventFiles)
	if err != nil || len(files) != 2 {
		t.Fatalf("files %q, %v", files, err)
	}
	raw, _ := f.Read(context.Background(), squareSDK, "api/types/VendorCreatedEvent.d.ts")
	m := squareInterfaceRE.FindStringSubmatch(string(raw))
	if m == nil || m[2] != "VendorCreatedEvent" {
		t.Fatalf("interface not found: %q", m)
	}
	td := squareTypeDocRE.FindStringSubmatch(m[3])
	if td == nil {
		t.Fatal("type doc comment not found")
	}
	if names := squareTypeNameRE.FindAllStringSubmatch(td[1], -1); len(names) != 1 || names[0][1] != "vendor.created" {
		t.Fatalf("type names %q", names)
	}
	if desc, deprecated := squareDescription(m[1]); firstSentence(desc) != "Published when a Vendor is created." || !deprecated {
		t.Fatalf("description %q, deprecated %v", desc, deprecated)
	}

	f = fakeNPM(squareSDK, map[string]string{
		"api/types/WidgetCreatedEvent.d.ts": squareHeader + `export interface WidgetCreatedEvent {
    /** The type of event this represents. */
    type?: string | null;
    /** A unique ID for the event. */
    eventId?: string | null;
    data?: Square.WidgetCreatedEventData;
}`,
	})
	_, err = importSquare(context.Background(), f, testOverlay())
	wantError(t, err, "api/types/WidgetCreatedEvent.d.ts", "WidgetCreatedEvent", "squareUnnamed")
}
