// The board's only script: login cookie, review buttons, table sorting and
// live updates from the Server-Sent Events stream. No build step.
"use strict";

function token() {
  const m = document.cookie.match(/(?:^|;\s*)accord_token=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

function setToken(value) {
  const age = value ? "" : "; max-age=0";
  document.cookie = "accord_token=" + encodeURIComponent(value) + "; path=/; SameSite=Strict" + age;
}

async function resolve(button) {
  const id = button.dataset.commitment;
  const body = {
    command_id: "board-" + Date.now() + "-" + Math.random().toString(36).slice(2),
    expected_version: Number(button.dataset.version),
    review: { type: "resolve", proposal_id: button.dataset.proposal, accept: button.dataset.accept === "true" },
  };
  const headers = { "Content-Type": "application/json" };
  if (token()) headers.Authorization = "Bearer " + token();
  const r = await fetch("/api/v1/commitments/" + encodeURIComponent(id) + "/reviews",
    { method: "POST", headers, body: JSON.stringify(body) });
  if (r.ok) {
    window.location.href = "/commitments/" + encodeURIComponent(id);
  } else {
    const e = await r.json().catch(() => ({ code: r.status, message: r.statusText }));
    document.getElementById("error").textContent = e.code + ": " + e.message;
  }
}

function sortable(table) {
  table.querySelectorAll("th").forEach((th, col) => {
    th.addEventListener("click", () => {
      const body = table.tBodies[0];
      const up = th.dataset.order !== "asc";
      th.dataset.order = up ? "asc" : "desc";
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        return up ? x.localeCompare(y, undefined, { numeric: true }) : y.localeCompare(x, undefined, { numeric: true });
      });
      rows.forEach((r) => body.appendChild(r));
    });
  });
}

function live() {
  if (!window.EventSource) return;
  const el = document.getElementById("live");
  const here = document.body.dataset.commitment;
  const reload = document.body.hasAttribute("data-live-reload");
  let changes = 0;
  const source = new EventSource("/api/v1/events");
  // Browsers allow ~6 connections per host: never leave a stream open
  // behind a page kept in the back/forward cache.
  window.addEventListener("pagehide", () => source.close());
  window.addEventListener("pageshow", (e) => { if (e.persisted) window.location.reload(); });
  source.addEventListener("change", (m) => {
    const c = JSON.parse(m.data);
    changes += 1;
    el.innerHTML = "";
    const a = document.createElement("a");
    a.href = window.location.href;
    a.textContent = changes + " change(s) since loaded (last: " + c.event_type + " at " + c.position + ") — reload";
    el.appendChild(a);
    el.classList.add("changed");
    if ((here && here === c.commitment_id) || reload) {
      setTimeout(() => window.location.reload(), 300);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("login");
  if (form) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      setToken(document.getElementById("token").value.trim());
      window.location.href = "/";
    });
    document.getElementById("logout").addEventListener("click", () => { setToken(""); window.location.href = "/login"; });
    return;
  }
  document.querySelectorAll("button.resolve").forEach((b) => b.addEventListener("click", () => resolve(b)));
  document.querySelectorAll("table.sortable").forEach(sortable);
  live();
});
