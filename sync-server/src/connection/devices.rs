//! What a connection does for the organisation's devices: a managing token lists and
//! revokes tokens and stores content keys wrapped for devices; every token stores its
//! device's public key and fetches the keys wrapped for it. The relay checks who may, and
//! never what: proofs and wrapped keys are opaque to it.

use std::fmt::Display;
use std::sync::Arc;

use axum::extract::ws::Message;
use futures_util::{Sink, Stream};

use super::{internal, Connection, Ending};
use crate::org::OrgName;
use crate::storage::{Storage, TokenInfo};
use protocol::{DeviceToken, DocId, ServerMessage, Wire, WrappedKey};

async fn tokens(storage: &Arc<dyn Storage>, org: &OrgName) -> Result<Vec<TokenInfo>, Ending> {
    storage.list_tokens(Some(org)).await.map_err(internal)
}

impl<S, E> Connection<S>
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Unpin,
    E: Display,
    <S as Sink<Message>>::Error: Display,
{
    pub(super) fn storage(&self) -> Arc<dyn Storage> {
        Arc::clone(self.ctx.hub.storage())
    }

    /// Sends the organisation's tokens to a managing token; an empty, not-allowed list to
    /// any other.
    pub(super) async fn devices(&mut self, org: &OrgName) -> Result<(), Ending> {
        let storage = self.storage();
        let (devices, rotate) = if self.manage {
            let devices = tokens(&storage, org)
                .await?
                .into_iter()
                .map(|t| DeviceToken {
                    this_device: t.id == self.token_id,
                    id: t.id,
                    label: t.label,
                    sites: t.sites.to_stored(),
                    created_secs: t.created_at.timestamp(),
                    revoked_secs: t.revoked_at.map(|at| at.timestamp()),
                    manage: t.manage,
                    enrolments: t.enrolments,
                })
                .collect();
            let rotate = storage.rotation_wanted(org).await.map_err(internal)?;
            (devices, rotate)
        } else {
            (Vec::new(), false)
        };
        let answer = ServerMessage::Devices {
            allowed: self.manage,
            devices,
            rotate,
        };
        self.send(answer.encode().into()).await
    }

    /// Revokes a token of the connection's own organisation (a managing token only), and
    /// answers with the list after it.
    pub(super) async fn revoke(&mut self, org: &OrgName, id: String) -> Result<(), Ending> {
        if self.manage {
            let storage = self.storage();
            let ours = tokens(&storage, org).await?.iter().any(|t| t.id == id);
            if ours && storage.revoke_token(&id).await.map_err(internal)? {
                tracing::info!(org = %org, token = %id, by = %self.token_id,
                    "token revoked by a manager's device");
            }
        }
        self.devices(org).await
    }

    /// Stores the device's public key against its token, with the `Hello`'s name.
    pub(super) async fn enrol(
        &mut self,
        org: &OrgName,
        public: [u8; 32],
        epoch: u32,
        proof: [u8; 32],
    ) -> Result<(), Ending> {
        self.storage()
            .enrol(&self.token_id, &self.device, public, epoch, proof)
            .await
            .map_err(internal)?;
        tracing::info!(org = %org, token = %self.token_id, epoch, "device key stored");
        Ok(())
    }

    /// Sends the content keys wrapped for the device of `public` with this token.
    pub(super) async fn fetch_keys(&mut self, public: [u8; 32]) -> Result<(), Ending> {
        let keys = self
            .storage()
            .wrapped_keys(&self.token_id, public)
            .await
            .map_err(internal)?;
        self.send(ServerMessage::Keys { keys }.encode().into())
            .await
    }

    /// Stores wrapped content keys from a managing token; any other stores nothing.
    pub(super) async fn post_keys(
        &mut self,
        org: &OrgName,
        epoch: u32,
        rotation: bool,
        keys: Vec<WrappedKey>,
    ) -> Result<(), Ending> {
        let stored = self.manage
            && self
                .storage()
                .store_keys(org, epoch, rotation, &keys)
                .await
                .map_err(internal)?;
        tracing::info!(org = %org, token = %self.token_id, epoch, rotation, stored,
            devices = keys.len(), "wrapped keys offered");
        if stored && rotation {
            // Every device still connected fetches the new key now, rather than sealing
            // with the old one until it next reconnects.
            let directory = DocId::new("directory").expect("a valid id");
            let notice = ServerMessage::KeysChanged.encode();
            self.ctx.hub.notify(org, &directory, notice.into()).await;
        }
        self.send(ServerMessage::KeysStored { epoch, stored }.encode().into())
            .await
    }
}
