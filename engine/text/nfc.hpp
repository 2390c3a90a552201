// Unicode Normalization Form C (canonical composition, UAX #15): "é" typed as one character
// (U+00E9) and as "e" with a combining acute accent (U+0065 U+0301) are the same text to a
// reader and look the same on screen, but are different bytes. Text pasted from a PDF or a
// macOS file name is often decomposed; an actor, domain or lender named one way and referred to
// the other would be another name. Every TOML text and CSV file interdep reads is put in NFC
// before it is parsed, so canonically equivalent names are one name (docs/scenario-format.md).
// The tables come from Unicode 14.0.0 (tools/gen-unicode-nfc).
#pragma once

#include <string>
#include <string_view>

namespace interdep {

// `text` in NFC. Bytes that are not UTF-8 are kept as they are (the readers' checks name them);
// they and ASCII end a composition. Text already in NFC comes back the same, byte for byte.
std::string to_nfc(std::string_view text);

// Whether to_nfc(text) may change it: false for ASCII and for text whose characters neither
// decompose, combine nor compose (to_nfc then returns it as it is without further work).
bool needs_nfc(std::string_view text);

}  // namespace interdep
