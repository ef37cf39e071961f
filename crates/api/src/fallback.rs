//! Unknown routes and wrong methods. actix-web answers 404 for a method a path does not declare;
//! the documented paths tell us whether the path exists, so we can answer 405 with `Allow`.

use actix_web::{HttpRequest, web};
use crm_core::Code;

use crate::problem::ApiError;

/// The documented paths (`/api/v1/flows/{id}`) with their methods.
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<String>)>,
}

enum Segment {
    Literal(String),
    Param,
}

impl RouteTable {
    pub fn from_openapi(document: &utoipa::openapi::OpenApi) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = split(path)
                    .map(|s| {
                        if s.starts_with('{') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods the path accepts, if it is a documented path.
    pub fn allowed(&self, path: &str) -> Option<Vec<String>> {
        // The router matches paths exactly: `/flows/` is not `/flows`.
        if path.len() > 1 && path.ends_with('/') {
            return None;
        }
        let parts: Vec<&str> = split(path).collect();
        // `/tags/order` matches both `/tags/order` and `/tags/{tag_id}`: the template with the
        // most literal segments is the one meant.
        let mut best: Option<(usize, Vec<String>)> = None;
        for (segments, methods) in &self.routes {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Literal(l) => l == p,
                    Segment::Param => !p.is_empty(),
                });
            if !matches {
                continue;
            }
            let literals = segments
                .iter()
                .filter(|s| matches!(s, Segment::Literal(_)))
                .count();
            match &mut best {
                Some((most, found)) if *most == literals => found.extend(methods.iter().cloned()),
                Some((most, _)) if *most > literals => {}
                _ => best = Some((literals, methods.clone())),
            }
        }
        best.map(|(_, methods)| methods)
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

pub async fn not_found_or_not_allowed(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<actix_web::HttpResponse, ApiError> {
    Err(match table.allowed(req.path()) {
        Some(mut methods) => {
            methods.sort();
            methods.dedup();
            ApiError::method_not_allowed(methods.join(", "))
        }
        None => ApiError::new(Code::RouteNotFound, format!("no route {}", req.path())),
    })
}
