//! Rewrites of the content models, before support is decided and types are planned, that
//! keep what a document may hold and make it simpler to read back by name. One pass per
//! file, applied in this order to every complex type's particle.

mod single_particle_groups;
mod substitution_groups;

use mktows_wsdl::Wsdl;

/// A copy of `wsdl` with every pass applied.
pub(crate) fn normalized(wsdl: &Wsdl) -> Wsdl {
    let mut copy = wsdl.clone();
    substitution_groups::expand(&wsdl.schema, &mut copy.schema);
    single_particle_groups::collapse(&mut copy.schema);
    copy
}
