// Terminal control sequences from a bundle are printed visibly escaped: the escaping function, and
// the text report, explain output, diagnostics, entry names and stderr of a hostile bundle.
#include "terminal_escape.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli.h"
#include "raw_zip.h"
#include "test_support.h"

namespace dartdiag {
namespace {

using testing::MakeRawZip;
using testing::TempDir;

TEST(TerminalEscape, ControlsBidiAndInvalidBytesBecomeVisible) {
  EXPECT_EQ(EscapeForTerminal("plain text\twith a tab"), "plain text\twith a tab");
  EXPECT_EQ(EscapeForTerminal("\xe6\x9c\xaa\xe5\x8f\x97\xe4\xbf\x9d\xe8\xad\xb7 \xc3\xa9"),
            "\xe6\x9c\xaa\xe5\x8f\x97\xe4\xbf\x9d\xe8\xad\xb7 \xc3\xa9");  // other scripts pass
  EXPECT_EQ(EscapeForTerminal("a\x1b]0;pwned\x07\x1b[2J"), "a\\x1b]0;pwned\\x07\\x1b[2J");
  EXPECT_EQ(EscapeForTerminal("back\bspace\x7f\r\n"), "back\\x08space\\x7f\\x0d\\x0a");
  EXPECT_EQ(EscapeForTerminal("csi \x9b"
                              "31m"),
            "csi \\x9b31m");  // a raw C1 byte (not UTF-8)
  EXPECT_EQ(EscapeForTerminal("c1 \xc2\x9b"
                              "31m"),
            "c1 \\u009b31m");  // C1 encoded as UTF-8
  EXPECT_EQ(EscapeForTerminal("txt.\xe2\x80\xae"
                              "exe"),
            "txt.\\u202eexe");  // right-to-left override
  EXPECT_EQ(EscapeForTerminal("\xe2\x81\xa6x\xe2\x81\xa9 \xe2\x80\x8f \xe2\x80\xa8"),
            "\\u2066x\\u2069 \\u200f \\u2028");
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80 \xe0\x80\xaf \xf4\x90\x80\x80 \xe2\x82"),
            "\\xed\\xa0\\x80 \\xe0\\x80\\xaf \\xf4\\x90\\x80\\x80 \\xe2\\x82");  // surrogate, overlong, > U+10FFFF, cut
}

const std::string kAttack =
    "\x1b]0;pwned\x07\x1b[2J\x9b"
    "31m\xe2\x80\xae\b";
const std::string kAttackShown = "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e\\x08";

std::string PluginLog() {
  return "2024-08-27 03:07:53 [8880] [DEBUG] < 12> Dns Protection IPv4 State Machine: rejected all candidate "
         "resolvers for port 53 " +
         kAttack + "\n" + "junk line " + kAttack + "\n";
}

std::string EventLog() {
  return "Date : 08/27/2024\nTime : 06:41:22\nType : Warning\nSource : csc_swgagent\nDescription : WARN | Thread 1 | " +
         kAttack + "\n";
}

// An unzipped bundle whose log lines, unparsed lines and folder names carry control sequences.
std::filesystem::path HostileFolder(const TempDir& dir) {
  dir.Write("bundle/Umbrella/csccumbrellaplugin.txt", PluginLog());
  dir.Write("bundle/odd" + kAttack + "/Umbrella.txt", EventLog());
  return dir.path() / "bundle";
}

// A zip with the same logs; entry names flagged UTF-8 carry C1 and bidi controls (valid UTF-8,
// which libzip passes through as they are).
std::string HostileZip() {
  return MakeRawZip(
      {{"Umbrella/csccumbrellaplugin.txt", PluginLog()}, {"odd\xc2\x9b\xe2\x80\xae/Umbrella.txt", EventLog()}});
}

bool HasRawControl(const std::string& text, bool colour) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b && colour && text.compare(i, 2, "\x1b[") == 0) {  // the tool's own SGR colours only
      size_t j = i + 2;
      while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == ';')) ++j;
      if (j < text.size() && text[j] == 'm') continue;
      return true;
    }
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c == 0x9b) return true;
  }
  return text.find("\xe2\x80\xae") != std::string::npos;
}

TEST(TerminalEscape, HostileBundleTextReportExplainAndErrorsAreEscaped) {
  TempDir dir;
  const std::string folder = HostileFolder(dir).string();
  const std::string zip = dir.Write("b.zip", HostileZip()).string();
  for (const bool colour : {false, true}) {
    std::ostringstream out, err;
    Terminal terminal;
    terminal.stdout_is_tty = colour;
    terminal.stderr_is_tty = colour;
    EXPECT_EQ(RunCli({"--explain", folder}, out, err, terminal), 1);
    EXPECT_FALSE(HasRawControl(out.str(), colour)) << out.str();
    EXPECT_FALSE(HasRawControl(err.str(), false)) << err.str();
    EXPECT_NE(out.str().find("port 53 " + kAttackShown), std::string::npos) << out.str();  // evidence
    EXPECT_NE(out.str().find("line not recognised: junk line " + kAttackShown), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("  odd" + kAttackShown + "/Umbrella.txt"), std::string::npos) << out.str();  // relative
    if (colour) {
      EXPECT_NE(out.str().find("\x1b[1m"), std::string::npos);  // the tool's own colours stay
    }
  }
  std::ostringstream zip_out, zip_err;
  EXPECT_EQ(RunCli({zip}, zip_out, zip_err, Terminal{}), 1);
  EXPECT_FALSE(HasRawControl(zip_out.str(), false)) << zip_out.str();
  EXPECT_NE(zip_out.str().find("odd\\u009b\\u202e/Umbrella.txt"), std::string::npos) << zip_out.str();

  std::ostringstream out, err;
  EXPECT_EQ(RunCli({"explain", "dns-unprotected", folder}, out, err, Terminal{}), 0);
  EXPECT_FALSE(HasRawControl(out.str(), false)) << out.str();
  EXPECT_NE(out.str().find("port 53 " + kAttackShown), std::string::npos) << out.str();
  // An error naming a hostile path on stderr.
  std::ostringstream out2, err2;
  EXPECT_EQ(RunCli({(dir.path() / "missing\x1b[2J.zip").string()}, out2, err2, Terminal{}), 2);
  EXPECT_FALSE(HasRawControl(err2.str(), false)) << err2.str();
  EXPECT_NE(err2.str().find("missing\\x1b[2J.zip"), std::string::npos) << err2.str();
}

TEST(TerminalEscape, BatchTextRowsAreEscaped) {
  TempDir dir;
  const auto zip = dir.Write("b\x1b[2J.zip", HostileZip());
  std::ostringstream out, err;
  RunCli({"batch", "-f", "text", (dir.path() / "missing\x1b]0;x\x07.zip").string(), zip.string()}, out, err,
         Terminal{});
  EXPECT_FALSE(HasRawControl(out.str(), false)) << out.str();
  EXPECT_FALSE(HasRawControl(err.str(), false)) << err.str();
  EXPECT_NE(out.str().find("missing\\x1b]0;x\\x07.zip"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("b\\x1b[2J.zip"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace dartdiag
