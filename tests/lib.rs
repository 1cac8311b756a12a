//! Nothing here: the end-to-end suite is the `e2e` test binary.
