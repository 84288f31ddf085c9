#include "step_definitions/support/allocation_counter.hpp"

#include <cstdlib>
#include <new>

namespace {

thread_local std::uint64_t t_allocated_bytes = 0;

void* counted_allocate(std::size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    t_allocated_bytes += size;
    return p;
}

}  // namespace

namespace zbserve::step_definitions {

std::uint64_t thread_allocated_bytes() noexcept { return t_allocated_bytes; }

}  // namespace zbserve::step_definitions

// The replaceable global allocation functions (the aligned forms keep the standard library's own).
void* operator new(std::size_t size) { return counted_allocate(size); }
void* operator new[](std::size_t size) { return counted_allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return counted_allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    try {
        return counted_allocate(size);
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
