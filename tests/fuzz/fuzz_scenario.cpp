// libFuzzer target: the scenario loader on arbitrary bytes. Any input must
// give a Scenario or a ScenarioError, never a crash, a hang or another
// exception; a loaded scenario is also run for one block.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/run/runner.hpp"
#include "engine/scenario/load_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace flopcast;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const scenario::Scenario s = scenario::load_scenario(text, "fuzz.toml");
        run::RunOptions o;
        o.samples = 64;
        o.seed = 1;
        o.threads = 1;
        (void)run::run_scenario(s, o);
    } catch (const scenario::ScenarioError&) {
    }
    return 0;
}
