#pragma once
// Runs f(i, worker) for i in [0, count) on up to `threads` threads; `worker`
// is in [0, threads) and no two calls with the same worker overlap, so each
// worker may own scratch state. Which worker runs which i is unspecified:
// results must depend on i only.
//
// oneTBB does the work in ordinary builds. Under ThreadSanitizer plain
// std::threads do it instead: Debian's libtbb is not instrumented, so TSan
// cannot see its hand-overs and reports them as races; std::thread's create
// and join are visible to it, so it then checks flopcast's own code.
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

namespace flopcast::run {

template <class F>
void parallel_blocks(tbb::task_arena& arena, int threads, std::size_t count, F&& f) {
#if defined(__SANITIZE_THREAD__)
    (void)arena;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (int w = 0; w < threads; ++w)
        pool.emplace_back([&, w] {
            for (std::size_t i; (i = next.fetch_add(1)) < count;) f(i, static_cast<std::size_t>(w));
        });
    for (auto& t : pool) t.join();
#else
    (void)threads;
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1), [&](const tbb::blocked_range<std::size_t>& r) {
            const auto worker = static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
            for (std::size_t i = r.begin(); i != r.end(); ++i) f(i, worker);
        });
    });
#endif
}

}  // namespace flopcast::run
