# Turns the default rule pack (JSON) into a C++ source file with one string constant.
file(READ ${IN} content)
file(WRITE ${OUT} "// Generated from default_rules.json; do not edit.\n"
  "namespace dartdiag {\nextern const char kDefaultRulePack[];\n"
  "const char kDefaultRulePack[] = R\"dartdiag_json(${content})dartdiag_json\";\n}\n")
