//! Which values can contain themselves: the graph of "a value of X holds a Y inline" (not
//! through a `Vec`), and its strongly connected components.
//!
//! A field is boxed when its value can hold the struct that declares it again; asking that
//! by walking the graph once per field is quadratic in the number of types (a ring of 8,000
//! types took minutes). Components answer it in constant time: the struct holds the field's
//! value, so the value holds the struct again exactly when both are in one component.

use std::collections::HashMap;

use mktows_wsdl::{ComplexType, QName, Schema, TypeRef};

use super::fields::Shape;

/// A node: a value typed by a name (which may be any member of its family), or the struct
/// of one concrete type.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Node<'s> {
    Value(&'s QName),
    Struct(&'s QName),
}

pub(super) struct Containment<'s> {
    index: HashMap<Node<'s>, usize>,
    edges: Vec<Vec<usize>>,
    component: Vec<usize>,
}

impl<'s> Containment<'s> {
    /// `concrete_types`: the types a value of a name may have (its family's members, or itself).
    pub(super) fn new(schema: &'s Schema, concrete_types: impl Fn(&QName) -> Vec<&'s ComplexType>) -> Self {
        let mut graph = Containment { index: HashMap::new(), edges: Vec::new(), component: Vec::new() };
        for ty in &schema.complex_types {
            let value = graph.node(Node::Value(&ty.name));
            for member in concrete_types(&ty.name) {
                let member_struct = graph.node(Node::Struct(&member.name));
                graph.edges[value].push(member_struct);
            }
        }
        for ty in &schema.complex_types {
            let owner = graph.node(Node::Struct(&ty.name));
            for field in schema.all_fields(ty) {
                if let (TypeRef::Complex(name), false) = (&field.type_ref, Shape::of(field).is_repeated()) {
                    let value = graph.node(Node::Value(name));
                    graph.edges[owner].push(value);
                }
            }
        }
        graph.component = components(&graph.edges);
        graph
    }

    fn node(&mut self, node: Node<'s>) -> usize {
        let next = self.edges.len();
        let index = *self.index.entry(node).or_insert(next);
        if index == next {
            self.edges.push(Vec::new());
        }
        index
    }

    /// Whether a value of `from`, held by the struct of `owner`, can hold that struct again
    /// (or a value typed `owner`) without a `Vec` in between; `None` when the graph cannot
    /// tell in constant time (the struct does not hold `from` inline), for the caller's walk.
    pub(super) fn holds_its_owner(&self, from: &QName, owner: &QName) -> Option<bool> {
        let from_value = *self.index.get(&Node::Value(from))?;
        let owner_struct = *self.index.get(&Node::Struct(owner))?;
        if !self.edges[owner_struct].contains(&from_value) {
            return None;
        }
        if self.component[owner_struct] == self.component[from_value] {
            return Some(true);
        }
        // Reaching a value typed `owner` reaches its struct too, unless `owner` is an
        // abstract family (its values are its extensions); only a walk tells then.
        let owner_value = *self.index.get(&Node::Value(owner))?;
        self.edges[owner_value].contains(&owner_struct).then_some(false)
    }
}

/// Tarjan's strongly connected components, iterative (a chain of thousands of types must not
/// exhaust the stack): the component number of each node.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut next_order, mut next_component) = (0, 0);
    let mut open: Vec<usize> = Vec::new();
    let mut on_open = vec![false; n];
    // (node, index of the next edge to follow)
    let mut walk: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        walk.push((root, 0));
        while let Some(&mut (node, ref mut next_edge)) = walk.last_mut() {
            if *next_edge == 0 && order[node] == UNSEEN {
                (order[node], low[node]) = (next_order, next_order);
                next_order += 1;
                open.push(node);
                on_open[node] = true;
            }
            if let Some(&target) = edges[node].get(*next_edge) {
                *next_edge += 1;
                if order[target] == UNSEEN {
                    walk.push((target, 0));
                } else if on_open[target] {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            walk.pop();
            if let Some(&(parent, _)) = walk.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = open.pop() {
                    on_open[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn a_ring_is_one_component_and_a_tail_is_not_in_it() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3
        let c = components(&[vec![1], vec![2], vec![0, 3], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
    }

    #[test]
    fn a_self_loop_and_a_lone_node_are_their_own_components() {
        let c = components(&[vec![0], vec![]]);
        assert_ne!(c[0], c[1]);
    }

    #[test]
    fn a_chain_of_a_million_nodes_does_not_exhaust_the_stack() {
        let n = 1_000_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] }).collect();
        let c = components(&edges);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
