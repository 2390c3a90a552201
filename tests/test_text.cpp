// Text as interdep reads it: Unicode's canonical composition (NFC, engine/text/nfc.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/text/nfc.hpp"
#include "engine/text/text_encoding.hpp"
#include "engine/text/text_format.hpp"

namespace {

std::string utf8(const std::vector<char32_t>& points) {
  std::string out;
  for (const char32_t c : points) interdep::append_utf8(out, c);
  return out;
}

std::vector<char32_t> hex_points(const std::string& text) {
  std::vector<char32_t> points;
  std::istringstream in(text);
  std::string word;
  while (in >> word) points.push_back(static_cast<char32_t>(std::stoul(word, nullptr, 16)));
  return points;
}

}  // namespace

TEST_CASE("text: NFC as Python's unicodedata computes it, for every character that changes",
          "[text][nfc]") {
  // tools/gen-unicode-nfc wrote the cases from unicodedata.normalize("NFC", ...): every
  // character that decomposes or combines, alone and after "a", and 3,000 seeded strings of
  // letters, marks of several classes in both orders, Hangul jamo and syllables.
  std::ifstream in(INTERDEP_TEST_DATA "/nfc_cases.txt");
  REQUIRE(in);
  std::string line;
  std::size_t cases = 0, changed = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t semicolon = line.find(';');
    REQUIRE(semicolon != std::string::npos);
    const std::string text = utf8(hex_points(line.substr(0, semicolon)));
    const std::string expected = utf8(hex_points(line.substr(semicolon + 1)));
    INFO(line);
    CHECK(interdep::to_nfc(text) == expected);
    CHECK(interdep::to_nfc(expected) == expected);  // NFC is stable
    ++cases;
    if (text != expected) ++changed;
  }
  CHECK(cases > 8000);
  CHECK(changed > 2000);
}

TEST_CASE("text: NFC leaves ASCII, composed text and bytes that are not UTF-8 as they are",
          "[text][nfc]") {
  const std::string ascii = "PAK,RUS trade[PAK,RUS] = 0.5\n";
  CHECK(interdep::to_nfc(ascii) == ascii);
  CHECK_FALSE(interdep::needs_nfc(ascii));
  CHECK_FALSE(interdep::needs_nfc("Pakistan – Russia ≈ 0.5 €"));  // nothing decomposes
  CHECK(interdep::to_nfc("e\xCC\x81"
                         "conomie") ==
        "\xC3\xA9"
        "conomie");  // é
  CHECK(interdep::to_nfc("\xC3\xA9"
                         "conomie") ==
        "\xC3\xA9"
        "conomie");
  // Latin-1's é (0xE9) is no UTF-8: kept, and the acute after it stays a mark.
  CHECK(interdep::to_nfc("caf\xE9\xCC\x81") == "caf\xE9\xCC\x81");
  // A cut sequence at the end is kept byte for byte.
  CHECK(interdep::to_nfc("e\xCC\x81\xE2\x82") == "\xC3\xA9\xE2\x82");
  // Marks reordered by class: dot below (220) before acute (230), then composed.
  CHECK(interdep::to_nfc("a\xCC\x81\xCC\xA3") == utf8({0x1EA1, 0x301}));
}

TEST_CASE("text: NFC of arbitrary bytes is stable and keeps what is not UTF-8", "[text][nfc]") {
  // Seeded random texts of ASCII, marks, letters that decompose, Hangul and stray bytes (a cut
  // sequence, Latin-1, a lone continuation byte): NFC of NFC is NFC, text that needs no work
  // comes back as it is, and the bytes that are not UTF-8 come out in the same order.
  std::mt19937_64 random(20261205);
  const std::vector<std::string> pieces = {"a",
                                           "E",
                                           " ",
                                           "\xCC\x81",
                                           "\xCC\xA3",
                                           "\xCC\x88",
                                           "\xC3\xA9",
                                           "\xE1\xBA\xA1",
                                           "\xEA\xB0\x80",
                                           "\xE1\x84\x80",
                                           "\xE1\x85\xA1",
                                           "\xE1\x86\xA8",
                                           "\xE9",
                                           "\x80",
                                           "\xE2\x82",
                                           "\xF0\x9F",
                                           "\xE0\xAD\x87",
                                           "\xE0\xAC\xBE",
                                           "\xCE\xB1",
                                           "\xCD\x85"};
  const auto not_utf8 = [](const std::string& text) {
    std::string stray;
    for (std::size_t k = 0; k < text.size();) {
      const std::size_t n = interdep::utf8_length(text, k);
      if (n == 0)
        stray += text[k++];
      else
        k += n;
    }
    return stray;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const auto length = std::uniform_int_distribution<int>(0, 12)(random);
    for (int k = 0; k < length; ++k)
      text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
    const std::string nfc = interdep::to_nfc(text);
    INFO(round);
    CHECK(interdep::to_nfc(nfc) == nfc);
    if (!interdep::needs_nfc(text)) CHECK(nfc == text);
    CHECK(not_utf8(nfc) == not_utf8(text));
  }
}

TEST_CASE("text: a year beyond an int's range is written as its number", "[text][dates]") {
  // A year of 1e15 was converted to an int (undefined): "-2147483648-01" in a message.
  CHECK(interdep::year_month(2027.25) == "2027-04");
  CHECK(interdep::quarter_text(2027.25) == "2027Q2");
  CHECK(interdep::year_month(1e15) == "1e+15");
  CHECK(interdep::quarter_text(-1e15) == "-1e+15");
  CHECK(interdep::year_month(2147483648.0) == "2147483648");
  CHECK(interdep::date_text(1e20) == "1e+20");
}

TEST_CASE("text: a length of time in the unit a clock counts it", "[text]") {
  using interdep::duration_text;
  CHECK(duration_text(1.0 / 12.0) == "a month");
  CHECK(duration_text(0.25) == "3 months");
  CHECK(duration_text(1.0) == "a year");
  CHECK(duration_text(2.0) == "2 years");
  CHECK(duration_text(1.0 / 52.0) == "a week");
  CHECK(duration_text(5.0 / 52.0) == "5 weeks");
  CHECK(duration_text(1.0 / 365.0) == "a day");
  CHECK(duration_text(0.01) == "0.01 yr");
}

TEST_CASE("text: a change printed beside its ends adds up with them", "[text][numbers]") {
  using interdep::shown_change;
  // Rounded alone, 0.2754 → 0.2836 read "0.275 to 0.284 (+0.008)": the ends' difference.
  const auto c = shown_change(0.2754, 0.2836);
  CHECK(c.decimals == 3);
  CHECK(c.change == "+0.009");
  CHECK(shown_change(0.5, 0.25).change == "-0.250");
  CHECK(shown_change(0.5, 0.5).change == "+0.000");
  // A change too small for three decimals gets the decimals it needs (0.6664 → 0.6666 read
  // "0.666 to 0.667 (+0.001)", five times the change; explain said "+0.000" of a fall of 0.0004).
  CHECK(shown_change(0.6664, 0.6666).change == "+0.0002");
  CHECK(shown_change(0.6669, 0.6665).change == "-0.0004");
  // Ends that differ but print alike get more decimals (0.12335 and 0.12340 both "0.1234").
  CHECK(shown_change(0.12335, 0.12340, 4).decimals == 5);
  // Too small for six decimals: it keeps its sign.
  CHECK(shown_change(0.3, 0.3 - 1e-9).change == "-0.000000");
  CHECK(shown_change(0.3, 0.3 + 1e-9).change == "+0.000000");
  // More decimals asked for at least, and a large value (a flow in US$ bn/yr).
  CHECK(shown_change(1234.5, 1300.25, 2).change == "+65.75");
  // Every pair: the change printed is the printed ends' difference, to the decimals chosen.
  std::mt19937_64 draw(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int k = 0; k < 20000; ++k) {
    const double was = unit(draw), now = k % 2 ? was + 1e-4 * unit(draw) : unit(draw);
    const auto s = shown_change(was, now);
    const double ends =
        std::stod(interdep::number(now, s.decimals)) - std::stod(interdep::number(was, s.decimals));
    INFO(was << " -> " << now << ": " << s.change);
    CHECK(std::abs(std::stod(s.change) - ends) < 0.5 * std::pow(10.0, -s.decimals));
    CHECK(s.decimals <= 6);
    // Within a unit of the change's last decimal, and ends that differ print apart (below 6).
    CHECK(std::abs(std::stod(s.change) - (now - was)) < 1.0 * std::pow(10.0, -s.decimals));
    if (s.decimals < 6 && now != was)
      CHECK(interdep::number(now, s.decimals) != interdep::number(was, s.decimals));
  }
  // Values beyond a long long's units (hunt AM: a damaged file's 1e18 ended explain, compare
  // and report with "error: stoll"): the same exact difference, of any size, and no ends to
  // subtract without a finite one.
  CHECK(shown_change(1e18, 1e18).change == "+0.000");
  CHECK(interdep::number(-1e300, 1).size() == 304);  // every digit (a buffer of 64 cut them)
  CHECK(shown_change(1e18, 2e18).change == "+1000000000000000000.000");
  CHECK(shown_change(-1e300, 1e300).change.size() > 300);
  CHECK(shown_change(-1e300, 1e300).change.rfind("+2", 0) == 0);
  CHECK(shown_change(5e20, -5e20).change == "-1000000000000000000000.000");
  CHECK(shown_change(-3.25, -1.5, 2).change == "+1.75");
  CHECK(shown_change(-1.5, -3.25, 2).change == "-1.75");
  CHECK(shown_change(1.0, std::nan("")).change.find("nan") != std::string::npos);
  CHECK(shown_change(1.0, HUGE_VAL).change == "+inf");
}
