"""An uploader that sends files straight to the server's upload route (web/uploads.py) instead of through
Streamlit's file uploader, which holds every file whole in the session's memory.

It runs in the page (st.components.v2): a file chooser, 上传, a progress bar fed by the browser's upload progress;
each file goes in its own POST with the header the route asks for, and when all are done the route's answers come
back to the script as a trigger value, so the page reruns once and says what was saved and what was refused.
Every word it shows is Chinese; what it shows of the data (labels, file names, the route's messages) is set as
text, never as markup, and comes in through the component's `data`, never its code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st

from ui.text import md

HTML = """
<div class="audit-upload">
  <div class="label"></div>
  <div class="row">
    <label class="choose"><input type="file" class="files" hidden><span>选择文件</span></label>
    <span class="chosen">未选择文件</span>
    <button type="button" class="send">上传</button>
  </div>
  <progress class="bar" max="1" value="0" hidden></progress>
  <div class="status" aria-live="polite"></div>
</div>
"""

CSS = """
.audit-upload { font-family: inherit; color: var(--st-text-color); font-size: 0.9rem; }
.audit-upload .label { margin-bottom: 0.35rem; }
.audit-upload .row { display: flex; gap: 0.6rem; align-items: center; flex-wrap: wrap; }
.audit-upload .choose, .audit-upload .send {
  border: 1px solid rgba(128, 128, 128, 0.4); border-radius: 0.5rem; padding: 0.3rem 0.8rem; cursor: pointer;
  background: var(--st-secondary-background-color); color: inherit; font: inherit; }
.audit-upload .send { background: var(--st-primary-color); color: white; border-color: var(--st-primary-color); }
.audit-upload .send:disabled { opacity: 0.5; cursor: wait; }
.audit-upload .chosen { opacity: 0.75; overflow-wrap: anywhere; }
.audit-upload .bar { width: 100%; margin-top: 0.5rem; accent-color: var(--st-primary-color); }
.audit-upload .status { margin-top: 0.3rem; opacity: 0.8; min-height: 1.2em; }
"""

JS = """
export default function (component) {
  // Called on every rerun with the page's newest data. 上传 first asks the page for a rerun (trigger "start" with
  // a fresh number) and sends the files only when the data of that rerun comes back carrying the number: every
  // field the click left (a note typed just before it) was sent to the page before the trigger, so that data
  // holds its value. Nothing waits on a clock.
  const { data, setTriggerValue, parentElement } = component;
  const root = parentElement.querySelector('.audit-upload');
  const input = root.querySelector('.files');
  const chosen = root.querySelector('.chosen');
  const send = root.querySelector('.send');
  const bar = root.querySelector('.bar');
  const status = root.querySelector('.status');
  root.querySelector('.label').textContent = data.label;
  input.accept = data.accept;
  input.multiple = Boolean(data.multiple);
  const names = () => Array.from(input.files).map((f) => f.name).join('、');
  input.onchange = () => { chosen.textContent = input.files.length ? names() : '未选择文件'; status.textContent = ''; };

  function post(file, current, progress) {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const query = new URLSearchParams(current.query);
      query.set('name', file.name);
      xhr.open('POST', current.url + '?' + query.toString());
      xhr.setRequestHeader('X-Audit-Upload', '1');
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (event) => { if (event.lengthComputable) progress(event.loaded); };
      xhr.upload.onload = () => { status.textContent = '已传完，正在保存：' + file.name; };  // a restore takes a while
      xhr.onload = () => {
        let answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (error) { answer = null; }
        if (answer && typeof answer.message === 'string') {
          resolve({ name: file.name, saved: answer.saved === true, message: answer.message,
                    engagement_id: answer.engagement_id, evidence_id: answer.evidence_id,
                    lines: Array.isArray(answer.lines) ? answer.lines : [] });
        } else {
          resolve({ name: file.name, saved: false, message: '上传失败（服务器答复 ' + xhr.status + '），文件未保存' });
        }
      };
      xhr.onerror = () => resolve({ name: file.name, saved: false, message: '网络中断，文件未保存' });
      xhr.send(file);
    });
  }

  function finish(text) {
    status.textContent = text;
    input.value = '';
    chosen.textContent = '未选择文件';
    send.disabled = false;
    input.disabled = false;
  }

  async function upload(files, current) {
    bar.hidden = false;
    bar.value = 0;
    const total = files.reduce((sum, f) => sum + f.size, 0) || 1;
    let done = 0;
    const answers = [];
    for (const file of files) {
      if (file.size > current.limit) {
        answers.push({ name: file.name, saved: false, message: current.tooBig });
      } else {
        status.textContent = '正在上传：' + file.name;
        answers.push(await post(file, current, (loaded) => { bar.value = (done + loaded) / total; }));
      }
      done += file.size;
      bar.value = done / total;
    }
    finish('上传完成');
    setTriggerValue('done', JSON.stringify(answers));
  }

  const pending = root.auditPending;
  if (pending && data.go === pending.number) {  // the rerun 上传 asked for: send with its data
    root.auditPending = null;
    clearTimeout(pending.timer);
    upload(pending.files, data);
  }

  send.onclick = () => {
    const files = Array.from(input.files);
    if (!files.length) { status.textContent = '请先选择文件'; return; }
    send.disabled = true;
    input.disabled = true;
    status.textContent = '准备上传…';
    const number = Date.now().toString(36) + Math.random().toString(36).slice(2);
    // the page never answered (the connection dropped): nothing was sent, say so and let the user try again
    const timer = setTimeout(() => { root.auditPending = null; finish('页面未响应，文件未上传，请重试'); }, 30000);
    root.auditPending = { number, files, timer };
    setTriggerValue('start', number);
  };
}
"""

_uploader = st.components.v2.component("audit_streamed_upload", html=HTML, css=CSS, js=JS)


@dataclass(frozen=True)
class Answer:
    """What the route said of one file."""

    name: str
    saved: bool
    message: str
    engagement_id: int | None = None   # a restore's new engagement
    lines: tuple[dict[str, str], ...] = ()  # a package's files: path, outcome, detail
    evidence_id: int | None = None     # an evidence file's record


def streamed_upload(key: str, label: str, url: str, *, types: list[str], max_mb: int, multiple: bool = True,
                    query: list[tuple[str, str]] = ()) -> list[Answer] | None:
    """The uploader posting to `url` (with the `query` pairs added to each request; a name may repeat); the
    route's answers, on the rerun the finished upload starts, else None."""
    data = {"label": label, "url": url, "query": [[k, str(v)] for k, v in query if v not in (None, "")],
            "accept": ",".join("." + t.lstrip(".") for t in types), "multiple": multiple,
            "limit": max_mb * 1024 * 1024, "tooBig": f"超过大小上限 {max_mb} MB，未上传"}
    data["go"] = _started(key)  # on the rerun 上传 asked for, the number it sent: the uploader then sends
    result = _uploader(key=key, data=data, on_done_change=lambda: None, on_start_change=lambda: None)
    return answers(getattr(result, "done", None))


def choose_saved(got: list[Answer] | None, chosen: str) -> None:
    """Say what the route did with each file, and add the records it saved to the multiselect keyed `chosen`,
    which must be drawn after this (its value is set before it is drawn), so they go with the form below."""
    for answer in got or []:
        (st.success if answer.saved else st.error)(f"{md(answer.name)}：{md(answer.message)}")
    saved = [a.evidence_id for a in got or [] if a.saved and a.evidence_id is not None]
    if saved:
        st.session_state[chosen] = list(dict.fromkeys([*st.session_state.get(chosen, []), *saved]))


def _started(key: str) -> str | None:
    """The number the uploader's 上传 sent as its "start" trigger, on the rerun it caused (else None)."""
    state = st.session_state.get(key)
    number = state.get("start") if hasattr(state, "get") else getattr(state, "start", None)
    return number if isinstance(number, str) else None


def answers(value) -> list[Answer] | None:
    """The trigger value read back, keeping only well-formed entries (it comes from the browser)."""
    if not isinstance(value, str):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    kept = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("message"), str):
            kept.append(Answer(item["name"][:300], item.get("saved") is True, item["message"][:500],
                               _number(item.get("engagement_id")), _lines(item.get("lines")),
                               _number(item.get("evidence_id"))))
    return kept


def _number(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _lines(value) -> tuple[dict[str, str], ...]:
    fields = ("path", "outcome", "detail")
    return tuple({f: line[f] for f in fields} for line in value if isinstance(line, dict)
                 and all(isinstance(line.get(f), str) for f in fields)) if isinstance(value, list) else ()
