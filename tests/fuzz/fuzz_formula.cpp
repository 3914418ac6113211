// libFuzzer target: the formula parser and compiler on arbitrary text.
// Any input must give a Program or a FormulaError, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/formula/program.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace flopcast::formula;
    const std::string text(reinterpret_cast<const char*>(data), size);
    ModelSpec spec;
    spec.years = {2023, 2024, 2025};
    spec.inputs = {{"a", Shape::Scalar}, {"g", Shape::Yearly}};
    spec.formulas = {{"f", text}, {"h", "f * 2"}};
    try {
        const Program p = Program::compile(spec);
        Workspace ws(p, 8);
        for (int q = 0; q < p.input_count(); ++q)
            for (std::size_t t = 0; t < p.slots(q); ++t)
                for (double& v : ws.values(q, t)) v = 1.5;
        p.evaluate(ws);
    } catch (const FormulaError&) {
    }
    return 0;
}
