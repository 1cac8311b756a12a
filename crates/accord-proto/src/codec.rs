//! prost's codec, except that a request that does not decode (e.g. invalid
//! UTF-8 in a string field) is the client's fault: `INVALID_ARGUMENT`, with
//! prost's message naming the field, instead of tonic's `INTERNAL`.

use tonic::codec::{BufferSettings, Codec as TonicCodec, DecodeBuf, Decoder};
use tonic::{Code, Status};
use tonic_prost::ProstCodec;

#[derive(Debug, Clone, Default)]
pub struct Codec<T, U>(ProstCodec<T, U>);

pub struct FieldDecoder<D>(D);

impl<D: Decoder<Error = Status>> Decoder for FieldDecoder<D> {
    type Item = D::Item;
    type Error = Status;

    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Self::Item>, Status> {
        self.0.decode(src).map_err(|s| match s.code() {
            Code::Internal => {
                Status::invalid_argument(format!("malformed request: {}", s.message()))
            }
            _ => s,
        })
    }

    fn buffer_settings(&self) -> BufferSettings {
        self.0.buffer_settings()
    }
}

impl<T, U> TonicCodec for Codec<T, U>
where
    T: prost::Message + Send + 'static,
    U: prost::Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = <ProstCodec<T, U> as TonicCodec>::Encoder;
    type Decoder = FieldDecoder<<ProstCodec<T, U> as TonicCodec>::Decoder>;

    fn encoder(&mut self) -> Self::Encoder {
        self.0.encoder()
    }

    fn decoder(&mut self) -> Self::Decoder {
        FieldDecoder(self.0.decoder())
    }
}
