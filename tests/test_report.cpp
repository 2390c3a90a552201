// The HTML report's C++ side (output/report/): JSON text for the data block, escaping of text
// that lands inside <script>, NaN as null, the page assembled from the template, and the atomic
// write. The page in a browser is tested by tests/report_check.sh (report.browser).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "output/report/json_writer.hpp"
#include "output/report/report_data.hpp"
#include "output/report/report_writer.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/run_file/run_writer.hpp"
#include "tests/temp_dir.hpp"

using namespace interdep;
using namespace interdep::report;
namespace fs = std::filesystem;

namespace {

using interdep::test::TempDir;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Files in `dir`, names only.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  return names;
}

// A two-actor, one-domain, two-frame run made by hand (no simulation: the report only formats
// what a file holds), with text that tries to end the page's elements early.
RunFile small_run() {
  RunFile run;
  run.path = "/tmp/small.h5";
  run.scenario_name = "evil </script><script>alert(1)</script>";
  run.scenario_description = "a <!-- comment --> & \"quotes\"";
  run.scenario_text = "name = \"x\"\n# </SCRIPT> in a comment\n";
  run.metadata.seed = 18446744073709551615ull;  // beyond JavaScript's exact integers
  run.metadata.engine_version = "0.1.0";
  run.frames = 2;
  run.actors = {"AAA", "BBB"};
  run.actor_names = {"Aland", "Bland"};
  run.domains = {"economy"};
  run.domain_labels = {"Economy"};
  run.time = {2025.0, 2025.0 + 1.0 / 12.0};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  run.relation_overall = {0.0, 0.25, -0.5, 0.0, 0.0, 0.1 + 0.2, nan, 0.0};
  run.relations = run.relation_overall;
  run.trade = {0.0, 1.0, 2.0, 0.0, 0.0, 1.5, 2.5, 0.0};
  run.energy = std::vector<double>(8, 0.0);
  run.sensitivity = run.energy;
  run.vulnerability = run.energy;
  run.leverage = run.energy;
  run.energy[2] = std::numeric_limits<double>::infinity();
  run.events.push_back({1, run.time[1], "impulse", "label with \"quotes\" and </script>", "AAA",
                        "BBB", -4.0, "161", 0, "", "", 0.0});
  return run;
}

// The text of the page's data element.
std::string data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"interdep-data\">";
  const std::size_t start = html.find(open);
  REQUIRE(start != std::string::npos);
  const std::size_t end = html.find("</script>", start + open.size());
  REQUIRE(end != std::string::npos);
  return html.substr(start + open.size(), end - start - open.size());
}

}  // namespace

TEST_CASE("report: json_string escapes quotes, backslashes, control characters and every <",
          "[report]") {
  CHECK(json_string("plain") == "\"plain\"");
  CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_string("line\nnext\ttab\r\b\f") == "\"line\\nnext\\ttab\\r\\b\\f\"");
  CHECK(json_string(std::string("nul\0end", 7)) == "\"nul\\u0000end\"");
  CHECK(json_string("\x1f") == "\"\\u001f\"");
  const std::string closing = json_string("</script><!-- x -->");
  CHECK(closing.find('<') == std::string::npos);
  CHECK(closing == "\"\\u003c/script>\\u003c!-- x -->\"");
  // UTF-8 passes through, apart from the JavaScript line terminators U+2028 and U+2029.
  CHECK(json_string("Pakistan → Russia, Ω") == "\"Pakistan → Russia, Ω\"");
  CHECK(json_string("a\u2028b\u2029c") == "\"a\\u2028b\\u2029c\"");
}

TEST_CASE("report: json_number gives null for NaN and infinities and reads back exactly",
          "[report]") {
  CHECK(json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(json_number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(json_number(-std::numeric_limits<double>::infinity()) == "null");
  CHECK(json_number(0.5) == "0.5");
  CHECK(json_number(-3.0) == "-3");
  for (const double x : {0.1, 1.0 / 3.0, 0.1 + 0.2, -2.5e17, 1e-300, 4.9e-324,
                         1.7976931348623157e308, 2025.0 + 1.0 / 12.0}) {
    const std::string text = json_number(x);
    CHECK(std::strtod(text.c_str(), nullptr) == x);
  }
}

TEST_CASE("report: JsonWriter places commas and keys and writes NaN as null", "[report]") {
  JsonWriter json;
  const std::vector<double> values = {1.5, std::numeric_limits<double>::quiet_NaN(), -2.0};
  const std::vector<std::string> names = {"a", "<b>"};
  json.begin_object();
  json.key("n").value(std::int64_t{-3}).key("ok").value(true).key("none").null();
  json.key("values").array(values).key("names").array(names);
  json.key("nested")
      .begin_array()
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .end_array();
  json.end_object();
  CHECK(json.text() ==
        "{\"n\":-3,\"ok\":true,\"none\":null,\"values\":[1.5,null,-2],"
        "\"names\":[\"a\",\"\\u003cb>\"],\"nested\":[{},[]]}");
}

TEST_CASE("report: html_escape replaces the five HTML-special characters", "[report]") {
  CHECK(html_escape("a<b>&\"c\"'d'") == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  CHECK(html_escape("Pakistan → Russia") == "Pakistan → Russia");
}

TEST_CASE(
    "report: the page holds the library, the script and the data, and text cannot end an element",
    "[report]") {
  const RunFile run = small_run();
  const std::string html =
      render_report(run, nullptr, interdep::report::report_frames(run, nullptr));

  // Every placeholder filled; the library and the page's own script are inlined.
  CHECK(html.find("{{scenario_name}}") == std::string::npos);
  CHECK(html.find("{{data}}") == std::string::npos);
  CHECK(html.find("var uPlot=") != std::string::npos);
  CHECK(html.find("interdep-data") != std::string::npos);
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);

  // The scenario's text appears escaped in the header and the <pre>, never as markup.
  CHECK(html.find("<script>alert(1)") == std::string::npos);
  CHECK(html.find("evil &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") !=
        std::string::npos);
  CHECK(html.find("# &lt;/SCRIPT&gt; in a comment") != std::string::npos);
  CHECK(html.find("a &lt;!-- comment --&gt; &amp; &quot;quotes&quot;") != std::string::npos);

  // The data element ends where the JSON ends (nothing inside closed it early), NaN and inf are
  // null, and the seed is a string (exact beyond 2^53).
  const std::string data = data_block(html);
  CHECK(data == report_data_json(run, nullptr, interdep::report::report_frames(run, nullptr)));
  CHECK(data.find("\"seed\":\"18446744073709551615\"") != std::string::npos);
  CHECK(data.find("\"relation_overall\":[0,0.25,-0.5,0,0,0.30000000000000004,null,0]") !=
        std::string::npos);
  CHECK(data.find("\"energy\":[0,0,null,0,0,0,0,0]") != std::string::npos);
  CHECK(data.find("\\u003c/script>") != std::string::npos);
  CHECK(data.find("\"network\":null") != std::string::npos);
  CHECK(data.find("\"narratives\":null") != std::string::npos);
  CHECK(data.find("\"baseline\":null") != std::string::npos);
}

TEST_CASE(
    "report: write_report replaces the target atomically and leaves nothing behind on failure",
    "[report]") {
  TempDir dir;
  const fs::path target = dir.path() / "report.html";
  {
    std::ofstream old(target);
    old << "an older report";
  }
  write_report(target, "<!DOCTYPE html><p>new</p>");
  CHECK(read_text(target) == "<!DOCTYPE html><p>new</p>");
  CHECK(listing(dir.path()) == std::vector<std::string>{"report.html"});

  SECTION("a missing directory: a clear error naming the target, no file") {
    const fs::path missing = dir.path() / "no-such-dir" / "report.html";
    try {
      write_report(missing, "x");
      FAIL("write_report into a missing directory did not throw");
    } catch (const OutputError& e) {
      CHECK(e.path() == missing);
      CHECK(std::string(e.what()).find(missing.string()) != std::string::npos);
      CHECK(std::string(e.what()).find("the folder " + missing.parent_path().string() +
                                       " does not exist") != std::string::npos);
    }
    CHECK(listing(dir.path()) == std::vector<std::string>{"report.html"});
  }

  SECTION("a target that is a directory: refused, nothing written") {
    const fs::path occupied = dir.path() / "occupied.html";
    fs::create_directory(occupied);
    CHECK_THROWS_AS(write_report(occupied, "x"), OutputError);
    CHECK(fs::is_directory(occupied));
    CHECK(fs::is_empty(occupied));
    std::vector<std::string> names = listing(dir.path());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"occupied.html", "report.html"});
    CHECK(read_text(target) == "<!DOCTYPE html><p>new</p>");
  }
}

// A world whose every frame would make a page browsers cannot read shows every k-th frame from
// the first, and the last; the data block says which (file_frames) and holds those frames only.
TEST_CASE("report: a page over its data budget shows every k-th recorded frame and the last",
          "[report]") {
  RunFile run = small_run();
  const std::size_t frames = 10, cells = 4;  // 2 actors: 4 pairs a frame
  run.frames = frames;
  run.time.clear();
  for (std::size_t f = 0; f < frames; ++f) run.time.push_back(2025.0 + static_cast<double>(f) / 12);
  for (std::vector<double>* v : {&run.relation_overall, &run.relations, &run.trade, &run.energy,
                                 &run.sensitivity, &run.vulnerability, &run.leverage}) {
    v->assign(frames * cells, 0.0);
    for (std::size_t k = 0; k < v->size(); ++k) (*v)[k] = static_cast<double>(k);
  }
  const std::vector<std::size_t> every = interdep::report::report_frames(run, nullptr);
  CHECK(every.size() == frames);

  // Any budget below two frames gives the two ends.
  CHECK(interdep::report::report_frames(run, nullptr, 0) == std::vector<std::size_t>{0, 9});
  // A budget of four frames' data: every 3rd from the first, and the last.
  std::size_t one_frame = 1;  // the bytes of one frame: the least budget that holds them all / 10
  while (interdep::report::report_frames(run, nullptr, one_frame * frames).size() < frames)
    ++one_frame;
  const std::vector<std::size_t> four =
      interdep::report::report_frames(run, nullptr, 4 * one_frame);
  CHECK(four == std::vector<std::size_t>{0, 3, 6, 9});
  // A baseline counts too: the same budget holds half as many frames of two runs.
  CHECK(interdep::report::report_frames(run, &run, 4 * one_frame).size() <= 2);

  const std::string data = interdep::report::report_data_json(run, nullptr, four);
  CHECK(data.find("\"frames\":4,\"file_frames\":[0,3,6,9],\"recorded_frames\":10") !=
        std::string::npos);
  // Frame 3's values of trade are 12..15, frame 9's 36..39.
  CHECK(data.find("\"trade\":[0,1,2,3,12,13,14,15,24,25,26,27,36,37,38,39]") != std::string::npos);
  CHECK(interdep::report::report_data_json(run, nullptr, every).find("\"file_frames\":null") !=
        std::string::npos);
}
