// Dimensions: arrays are one quantity per element, and a formula over arrays
// gives the bits of the same model written out element by element.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/formula/program.hpp"

using namespace flopcast::formula;

namespace {

const std::vector<Dimension> kDims = {{"chip", {"A100", "H100", "B200"}}, {"region", {"us", "china", "rest"}}};

ModelSpec dimensioned(std::vector<FormulaDecl> formulas) {
    return ModelSpec{{2024, 2025, 2026},
                     {{"units", Shape::Scalar, {"region", "chip"}},
                      {"peak", Shape::Scalar, {"chip"}},
                      {"util", Shape::Yearly, {"chip"}},
                      {"g", Shape::Scalar}},
                     std::move(formulas),
                     std::nullopt,
                     kDims};
}

double fill(const std::string& name, std::size_t t, std::size_t i) {
    const std::uint64_t h = (std::hash<std::string>{}(name) + t * 7919u + i * 104729u) * 0x9e3779b97f4a7c15ULL;
    return static_cast<double>(h >> 11) * 0x1.0p-53 * 4.0 - 1.0;
}

// Inputs filled by name, so that the same element gets the same values in
// both models whatever its quantity index.
Workspace run(const Program& prog, std::size_t block) {
    Workspace ws(prog, block);
    for (int q = 0; q < prog.input_count(); ++q)
        for (std::size_t t = 0; t < prog.slots(q); ++t) {
            auto v = ws.values(q, t);
            for (std::size_t i = 0; i < block; ++i) v[i] = fill(prog.name(q), t, i);
        }
    prog.evaluate(ws);
    return ws;
}

std::string compile_error(const ModelSpec& s, std::string* formula = nullptr, int* column = nullptr) {
    try {
        (void)Program::compile(s);
    } catch (const CompileError& e) {
        if (formula) *formula = e.formula();
        if (column) *column = e.column();
        return e.what();
    }
    return "";
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

}  // namespace

TEST_CASE("a dimensioned input is one quantity per element, named in over's order, stored in declaration order", "[dimensions]") {
    const auto prog = Program::compile(dimensioned({{"f", "units * peak"}}));
    const ArrayInfo* u = prog.array("units");
    REQUIRE(u);
    CHECK(u->dims == std::vector<int>{0, 1});  // chip, region: declaration order, whatever over says
    REQUIRE(u->quantities.size() == 9);
    CHECK(prog.name(u->quantities[0]) == "units[us,A100]");
    CHECK(prog.name(u->quantities[1]) == "units[china,A100]");  // region varies fastest
    CHECK(prog.name(u->quantities[3]) == "units[us,H100]");
    CHECK(prog.index_of("units[us,H100]") == u->quantities[3]);
    CHECK(prog.index_of("units") == -1);
    CHECK(prog.input_count() == 9 + 3 + 3 + 1);
    CHECK(prog.shape(prog.index_of("util[B200]")) == Shape::Yearly);
    const ArrayInfo* f = prog.array("f");
    REQUIRE(f);
    CHECK(f->dims == std::vector<int>{0, 1});
    CHECK(prog.name(f->quantities[5]) == "f[H100,rest]");
    CHECK(prog.parsed_text(f->quantities[5]) == "(units[rest,H100] * peak[H100])");
    CHECK(prog.array("g") == nullptr);
}

TEST_CASE("broadcasting, reductions and selections give the bits of the model written out by hand", "[dimensions]") {
    const auto arrays = Program::compile(dimensioned({
        {"flops", "units * peak * util"},                       // chip x region, yearly
        {"by_chip", "sum(flops, region)"},                      // chip
        {"total", "sum(sum(flops, region), chip)"},             // scalar
        {"share", "by_chip / total"},                           // chip: a scalar broadcasts
        {"h100_us", "flops[chip=H100, region=us] + g"},
        {"spread", "max(peak, chip) - min(peak, chip) + mean(peak, chip) * prod(peak, chip)"},
        {"stock", "prev(stock, units) * (1 + util)"},           // a recurrence per element
        {"cap", "if(by_chip > 1, clamp(by_chip, 0, 2), scurve(year, 2025, 0.8)) + growth(g)"},
    }));
    // The same model with every element spelt out.
    std::vector<std::string> chips = {"A100", "H100", "B200"}, regions = {"us", "china", "rest"};
    std::vector<FormulaDecl> spelt;
    std::vector<InputDecl> inputs;
    for (const auto& r : regions)
        for (const auto& c : chips) inputs.push_back({"units_" + r + "_" + c, Shape::Scalar});
    for (const auto& c : chips) inputs.push_back({"peak_" + c, Shape::Scalar});
    for (const auto& c : chips) inputs.push_back({"util_" + c, Shape::Yearly});
    inputs.push_back({"g", Shape::Scalar});
    for (const auto& c : chips)
        for (const auto& r : regions) {
            spelt.push_back({"flops_" + c + "_" + r, "units_" + r + "_" + c + " * peak_" + c + " * util_" + c});
            spelt.push_back({"stock_" + c + "_" + r, "prev(stock_" + c + "_" + r + ", units_" + r + "_" + c + ") * (1 + util_" + c + ")"});
        }
    for (const auto& c : chips)
        spelt.push_back({"by_chip_" + c, "flops_" + c + "_us + flops_" + c + "_china + flops_" + c + "_rest"});
    spelt.push_back({"total", "(flops_A100_us + flops_A100_china + flops_A100_rest) + (flops_H100_us + flops_H100_china + "
                              "flops_H100_rest) + (flops_B200_us + flops_B200_china + flops_B200_rest)"});
    for (const auto& c : chips) spelt.push_back({"share_" + c, "by_chip_" + c + " / total"});
    spelt.push_back({"h100_us", "flops_H100_us + g"});
    spelt.push_back({"spread", "max(peak_A100, peak_H100, peak_B200) - min(peak_A100, peak_H100, peak_B200) + "
                               "(peak_A100 + peak_H100 + peak_B200) / 3 * (peak_A100 * peak_H100 * peak_B200)"});
    for (const auto& c : chips)
        spelt.push_back({"cap_" + c, "if(by_chip_" + c + " > 1, clamp(by_chip_" + c + ", 0, 2), scurve(year, 2025, 0.8)) + growth(g)"});
    const auto by_hand = Program::compile(ModelSpec{{2024, 2025, 2026}, inputs, spelt, std::nullopt});

    // Element a[x,y] of the array model is x_y-named by hand; inputs get the
    // same values through their names.
    auto hand_name = [](std::string n) {
        for (char& ch : n)
            if (ch == '[' || ch == ',') ch = '_';
        if (!n.empty() && n.back() == ']') n.pop_back();
        return n;
    };
    Workspace w_arrays(arrays, 600);
    Workspace w_hand(by_hand, 600);
    for (int q = 0; q < arrays.input_count(); ++q) {
        const int h = by_hand.index_of(hand_name(arrays.name(q)));
        REQUIRE(h >= 0);
        for (std::size_t t = 0; t < arrays.slots(q); ++t)
            for (std::size_t i = 0; i < 600; ++i)
                w_arrays.values(q, t)[i] = w_hand.values(h, t)[i] = fill(arrays.name(q), t, i);
    }
    arrays.evaluate(w_arrays);
    by_hand.evaluate(w_hand);
    std::size_t compared = 0, differ = 0;
    for (int q = arrays.input_count(); q < arrays.quantity_count(); ++q) {
        if (!arrays.is_readable(q)) continue;
        const int h = by_hand.index_of(hand_name(arrays.name(q)));
        INFO(arrays.name(q));
        REQUIRE(h >= 0);
        for (std::size_t t = 0; t < arrays.slots(q); ++t)
            for (std::size_t i = 0; i < 600; ++i, ++compared)
                differ += same_bits(w_arrays.values(q, t)[i], w_hand.values(h, t)[i]) ? 0 : 1;
    }
    CHECK(compared > 0);
    CHECK(differ == 0);
    // And the tapes are as long: no interpretation step per element.
    CHECK(arrays.temp_count() == by_hand.temp_count());
}

TEST_CASE("the dimension errors name the formula, the column and what was expected", "[dimensions]") {
    std::string f;
    int col = 0;
    CHECK(compile_error(dimensioned({{"a", "sum(peak, region)"}}), &f, &col) ==
          "sum(peak, region): 'peak' has no dimension region (its dimensions: chip)");
    CHECK(f == "a");
    CHECK(col == 1);
    CHECK(compile_error(dimensioned({{"a", "2 * peak[chip=H200]"}}), &f, &col) ==
          "'H200' is not an element of chip (A100, H100, B200)");
    CHECK(col == 9);
    CHECK(compile_error(dimensioned({{"a", "g[chip=H100]"}})) ==
          "'g' has no dimension chip to select from (its dimensions: none)");
    CHECK(compile_error(dimensioned({{"a", "peak[gpu=H100]"}})) == "'gpu' is not a dimension (declared: chip, region)");
    CHECK(compile_error(dimensioned({{"a", "sum(peak, gpu)"}})) ==
          "sum(x, dim): 'gpu' is not a dimension (declared: chip, region)");
    CHECK(compile_error(dimensioned({{"a", "peak * chip"}})) ==
          "'chip' is a dimension, not a value: reduce over it (sum(x, chip)) or select one of its elements (x[chip=A100])");
    CHECK(compile_error(dimensioned({{"chip", "g"}})) == "'chip' is a dimension and cannot also be an input or formula");
    CHECK(compile_error(dimensioned({{"units", "g"}})) == "'units' is defined twice");
    auto spec = dimensioned({{"a", "g"}});
    spec.inputs.push_back({"bad", Shape::Scalar, {"gpu"}});
    CHECK(compile_error(spec, &f) == "over names 'gpu', which is not a declared dimension (declared: chip, region)");
    CHECK(f == "bad");
    spec = dimensioned({{"a", "g"}});
    spec.dimensions.push_back({"chip", {"x"}});
    CHECK(compile_error(spec) == "the dimension 'chip' is declared twice");
    spec.dimensions.back() = {"lab", {"open-ai"}};
    CHECK(compile_error(spec) == "'open-ai', an element of lab, is not an identifier: use letters, digits and _");
    spec.dimensions.back() = {"lab", {"a", "a"}};
    CHECK(compile_error(spec) == "'a' is listed twice in the dimension lab");
}

TEST_CASE("dimensions through formulas, prev and results: an array result makes all its elements readable", "[dimensions]") {
    // b uses a through prev before a is known to be over chip: a fixed point.
    auto spec = dimensioned({{"a", "prev(b, 0) + peak"}, {"b", "a * 2"}, {"c", "sum(b, chip)"}});
    spec.results = std::vector<std::string>{"b", "c"};
    const auto prog = Program::compile(spec);
    REQUIRE(prog.array("b"));
    CHECK(prog.array("b")->dims == std::vector<int>{0});
    CHECK(prog.array("a")->dims == std::vector<int>{0});
    for (int q : prog.array("b")->quantities) CHECK(prog.is_readable(q));
    for (int q : prog.array("a")->quantities) CHECK_FALSE(prog.is_readable(q));
    const auto ws = run(prog, 10);
    const int c = prog.index_of("c");
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t i = 0; i < 10; ++i) {
            double sum = 0;
            for (int q : prog.array("b")->quantities) sum += ws.values(q, t)[i];
            CHECK(ws.values(c, t)[i] == sum);
        }
}
