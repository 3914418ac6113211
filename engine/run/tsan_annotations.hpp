#pragma once
// Happens-before edges for ThreadSanitizer where the synchronization lives in
// Debian's uninstrumented libtbb: the start of a parallel_for (the caller's
// writes are visible to the workers) and its end (the workers' writes are
// visible to the caller). Without them TSan reports every hand-over of a
// wave's slots as a race. No-ops in ordinary builds.
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#define FLOPCAST_TSAN_ACQUIRE(addr) __tsan_acquire(addr)
#define FLOPCAST_TSAN_RELEASE(addr) __tsan_release(addr)
#else
#define FLOPCAST_TSAN_ACQUIRE(addr) ((void)0)
#define FLOPCAST_TSAN_RELEASE(addr) ((void)0)
#endif
