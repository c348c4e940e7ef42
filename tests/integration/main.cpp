// doctest entry point for the integration tests (real child processes, real npm servers).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
