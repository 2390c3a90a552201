// The values of a discrete parameter as one string: the root attribute `discrete_values` of a
// sweep file holds, per parameter, "" (a continuous parameter) or the parameter's values (TOML
// literals) encoded by encode_discrete_values. The runner encodes them (make_meta), `interdep
// run --from-sweep` decodes them (stored_parameters); both through this file only.
//
// The encoding joins the values with "|". A "|" inside a value is written "\|", and backslashes
// count only where they come before a "|" (as in the quoting of Windows command lines):
//   - n backslashes followed by "|" inside a value are written as 2n + 1 backslashes and "|";
//   - n backslashes that end a value other than the last are written as 2n (then the "|" that
//     separates it from the next value);
//   - every other backslash stands for itself.
// Decoding: a "|" after an even number 2m of backslashes separates two values (the backslashes
// are m backslashes ending the value before it), after an odd number 2m + 1 it is a "|" of the
// value (after m backslashes); backslashes before anything else, or at the end, are literal.
//
// So any list of values round-trips (one exception: a list of one empty value encodes as "",
// the entry of a continuous parameter; the sweep loader never makes an empty value). Values
// without "|" or "\" encode exactly as they were always joined, and so do values without "|"
// that do not end in a backslash (no TOML literal does): every sweep file written before this
// encoding reads the same, TOML escapes such as "a\"b" included (only a value holding "|" could
// not be read back then).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/sweep/sweep_spec.hpp"

namespace interdep::sweep {

// The values as one string, as described above ("" for no values).
std::string encode_discrete_values(const std::vector<std::string>& values);

// The values of an encoded string; no values for "" (a continuous parameter).
std::vector<std::string> decode_discrete_values(std::string_view encoded);

// A discrete value as a table or a message shows it: a TOML string literal without its quotes
// ("rk4", 'rk4' -> rk4; TOML's \" and \\ undone), a float by its shortest form that reads back
// as the same double (0.80000000000000004 -> 0.8), any other literal (an integer, a boolean) as
// written.
std::string plain_discrete_value(const std::string& literal);

// The parameters of a stored sweep, for overrides_for: key paths (SweepLayout::parameters)
// and, per parameter, "" or its encoded discrete values (SweepMeta::discrete_values, one entry
// per parameter or none at all). A continuous parameter has only its key (its values are
// stored in natural units); a discrete one its values and a discrete distribution over them.
std::vector<ParameterSpec> stored_parameters(const std::vector<std::string>& keys,
                                             const std::vector<std::string>& discrete_values);

}  // namespace interdep::sweep
