//! The process's allocator: mimalloc (the emulator's request path is allocation-heavy, JSON documents
//! mostly, and glibc's allocator showed at the top of its profile), told to give memory back.
//!
//! By default mimalloc commits its arenas eagerly and may back them with transparent huge pages, and
//! gives freed pages back to the OS only after a delay: under hostile load (1 MiB bodies refused, gzip
//! bombs, 100,000-deep documents, each freed as soon as it is answered) the emulator's RSS grew to
//! 79–99 MiB and stayed there, though what it held was a few megabytes. With arenas committed on demand
//! and freed pages purged at once, the request fuzzer's three seeds (20,000 requests each) peak at about
//! 31 MiB (README, "Hostile input"). A `MIMALLOC_*` variable in the environment still wins.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options set here, by their number in `mi_option_e` (mimalloc.h, v3, the version the crate builds; the Rust bindings
/// name only some).
const OPTIONS: [(libmimalloc_sys::mi_option_t, std::os::raw::c_long); 2] = [
    // `arena_eager_commit`: commit arena memory as it is used, not all at once.
    (4, 0),
    // `purge_delay`: give a freed page back to the OS at once, not a second later (v3's default).
    (15, 0),
];

/// Sets the options as defaults, before mimalloc reads them: mimalloc initializes in a constructor of
/// priority 101 (`mi_process_attach`, before any Rust code runs), reading each option (a `MIMALLOC_*`
/// variable overriding its default) and reserving its first arena; a default set later, from `main`, is
/// ignored and the arena is already committed. So this runs as a constructor of priority 100 (the linker
/// orders `.init_array.NNNNN` sections by NNNNN), on Linux, the one platform the emulator ships for.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00100"]
static GIVE_MEMORY_BACK: extern "C" fn() = give_memory_back;

#[cfg(target_os = "linux")]
extern "C" fn give_memory_back() {
    for (option, value) in OPTIONS {
        // SAFETY: mi_option_set_default stores a value in mimalloc's static option table (it allocates
        // nothing and needs no initialization).
        unsafe { libmimalloc_sys::mi_option_set_default(option, value) };
    }
}
