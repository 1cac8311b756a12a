//! Generated types and service stubs for `accord.v1`.

#![allow(clippy::all)]

pub mod codec;
pub mod domain;

pub mod v1 {
    tonic::include_proto!("accord.v1");

    /// Encoded `FileDescriptorSet`, for gRPC server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/accord_descriptor.bin"));
}
