// The preview page: waits for each new status from the server, shows the build's state and
// the check's findings, and reloads the PDF after every good build without losing the
// page being read or the zoom. Pages are drawn with pdf.js (served from node_modules),
// only when near the screen, and a page's old drawing stays until its new one is ready.
import * as pdfjsLib from "/pdfjs/build/pdf.min.mjs";

pdfjsLib.GlobalWorkerOptions.workerSrc = "/pdfjs/build/pdf.worker.min.mjs";

const ZOOMS = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];
const viewer = document.getElementById("viewer");
const pagesBox = document.getElementById("pages");
const view = {
  doc: null,
  task: null, // pdf.js loading task of `doc`: destroying it frees the document
  generation: 0, // bumped on every new PDF or zoom: drawings of older ones are stale
  sizes: [], // page sizes at scale 1, in CSS pixels
  scale: Number(localStorage.getItem("briefing-preview-zoom")) || 1,
  wanted: null, // URL of the newest good PDF
  shown: null,
};

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function linked(content, href) {
  if (!href) return text("span", content);
  const link = text("a", content);
  link.href = href;
  link.title = "在编辑器中打开";
  return link;
}

function scrollAnchor() {
  for (const page of pagesBox.children) {
    if (page.offsetTop + page.offsetHeight > viewer.scrollTop) {
      const fraction = (viewer.scrollTop - page.offsetTop) / page.offsetHeight;
      return { index: Number(page.dataset.index), fraction: Math.max(0, fraction) };
    }
  }
  return { index: 0, fraction: 0 };
}

function restoreAnchor(anchor) {
  const page = pagesBox.children[Math.min(anchor.index, pagesBox.children.length - 1)];
  if (page) viewer.scrollTop = page.offsetTop + anchor.fraction * page.offsetHeight;
}

const observer = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      entry.target.dataset.near = entry.isIntersecting ? "1" : "";
      if (entry.isIntersecting) drawPage(Number(entry.target.dataset.index));
    }
  },
  { root: viewer, rootMargin: "600px 0px" },
);

function layOutPages() {
  while (pagesBox.children.length > view.sizes.length) {
    observer.unobserve(pagesBox.lastElementChild);
    pagesBox.lastElementChild.remove();
  }
  view.sizes.forEach((size, index) => {
    let page = pagesBox.children[index];
    if (!page) {
      page = document.createElement("div");
      page.className = "page";
      page.dataset.index = String(index);
      pagesBox.append(page);
      observer.observe(page);
    }
    page.style.width = `${Math.round(size.width * view.scale)}px`;
    page.style.height = `${Math.round(size.height * view.scale)}px`;
  });
  document.getElementById("zoom").textContent = `${Math.round(view.scale * 100)}%`;
  document.getElementById("page-info").textContent = `共 ${view.sizes.length} 页`;
}

async function drawPage(index) {
  const page = pagesBox.children[index];
  const generation = view.generation;
  if (!page || !view.doc || page.dataset.generation === String(generation)) return;
  page.dataset.generation = String(generation);
  const pdfPage = await view.doc.getPage(index + 1);
  const ratio = window.devicePixelRatio || 1;
  const viewport = pdfPage.getViewport({ scale: view.scale * ratio * (96 / 72) });
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  await pdfPage.render({ canvas, viewport }).promise;
  if (generation !== view.generation) return; // a newer PDF or zoom took over
  page.replaceChildren(canvas);
}

function nearPages() {
  const near = [];
  for (const page of pagesBox.children) {
    const top = page.offsetTop - viewer.scrollTop;
    if (top < viewer.clientHeight + 600 && top + page.offsetHeight > -600) near.push(Number(page.dataset.index));
  }
  return near;
}

async function redraw(anchor) {
  view.generation += 1;
  layOutPages();
  restoreAnchor(anchor);
  await Promise.all(nearPages().map(drawPage));
}

async function showPdf(url, build) {
  const task = pdfjsLib.getDocument({
    url,
    cMapUrl: "/pdfjs/cmaps/",
    cMapPacked: true,
    standardFontDataUrl: "/pdfjs/standard_fonts/",
    wasmUrl: "/pdfjs/wasm/",
    iccUrl: "/pdfjs/iccs/",
  });
  const doc = await task.promise;
  if (url !== view.wanted) {
    task.destroy();
    return;
  }
  const sizes = [];
  for (let number = 1; number <= doc.numPages; number += 1) {
    const page = await doc.getPage(number);
    const { width, height } = page.getViewport({ scale: 96 / 72 });
    sizes.push({ width, height });
  }
  const anchor = scrollAnchor();
  const previous = view.task;
  view.doc = doc;
  view.task = task;
  view.sizes = sizes;
  await redraw(anchor);
  if (previous) previous.destroy();
  view.shown = url;
  document.body.dataset.shownPdf = url;
  document.body.dataset.shownBuild = String(build);
}

function zoom(step) {
  const at = ZOOMS.findIndex((value) => value >= view.scale - 1e-6);
  const next = ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, (at < 0 ? ZOOMS.length - 1 : at) + step))];
  if (next === view.scale || !view.doc) return;
  const anchor = scrollAnchor();
  view.scale = next;
  localStorage.setItem("briefing-preview-zoom", String(next));
  redraw(anchor);
}

function place(finding) {
  const parts = [];
  if (finding.article) parts.push(`《${finding.article}》`);
  if (finding.page) parts.push(`第 ${finding.page} 页`);
  if (finding.file) parts.push(finding.line ? `${finding.file}:${finding.line}` : finding.file);
  return parts.join(" · ");
}

function showFindings(status) {
  const list = document.getElementById("findings");
  const summary = document.getElementById("summary");
  list.replaceChildren();
  if (status.checking) {
    summary.textContent = "正在检查……";
    return;
  }
  const errors = status.findings.filter((finding) => finding.severity === "error").length;
  const warnings = status.findings.length - errors;
  const which = status.ok === false ? "上一次成功生成的 PDF：" : "";
  summary.textContent = which + (status.findings.length
    ? `${errors} 个错误，${warnings} 个提示（点击位置在编辑器中打开稿件）`
    : "没有发现问题。");
  for (const finding of status.findings) {
    const item = document.createElement("li");
    item.dataset.severity = finding.severity;
    item.append(text("span", finding.severity === "error" ? "错误" : "提示", `severity ${finding.severity}`));
    item.append(linked(finding.message, finding.href));
    const where = place(finding);
    if (where) {
      const placeLink = linked(where, finding.href);
      placeLink.classList.add("where");
      item.append(placeLink);
    }
    if (finding.hint) item.append(text("span", finding.hint, "hint"));
    list.append(item);
  }
}

function showErrors(status) {
  const box = document.getElementById("errors-box");
  const list = document.getElementById("errors");
  list.replaceChildren(...status.errors.map((error) => {
    const item = document.createElement("li");
    item.append(linked(error.text, error.href));
    return item;
  }));
  box.hidden = status.ok !== false;
}

function showState(status) {
  const state = document.getElementById("state");
  const errors = status.findings.filter((finding) => finding.severity === "error").length;
  if (status.ok === null) {
    state.dataset.state = "starting";
    state.textContent = "正在生成……";
  } else if (!status.ok) {
    state.dataset.state = "error";
    state.textContent = `稿件有 ${status.errors.length} 处错误`;
  } else {
    state.dataset.state = status.checking ? "checking" : errors ? "warning" : "ok";
    state.textContent = status.checking ? "已更新，正在检查" : errors ? "已更新，检查未通过" : "已更新";
  }
  const info = document.getElementById("build-info");
  info.textContent = status.pdf_build
    ? `第 ${status.build} 次生成 · ${status.pages} 页 · ${status.seconds.toFixed(2)} 秒`
    : `第 ${status.build} 次生成`;
  document.title = `${status.edition} · 简报预览`;
  document.body.dataset.statusBuild = String(status.build);
  document.body.dataset.statusOk = String(status.ok);
  document.body.dataset.checking = String(status.checking);
}

async function follow() {
  let revision = -1;
  for (;;) {
    let status;
    try {
      const response = await fetch(`/status.json?after=${revision}`, { cache: "no-store" });
      status = await response.json();
    } catch {
      document.getElementById("state").dataset.state = "error";
      document.getElementById("state").textContent = "预览已停止（briefing preview 未在运行）";
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    if (status.revision === revision) continue;
    revision = status.revision;
    showState(status);
    showErrors(status);
    showFindings(status);
    if (status.pdf && status.pdf !== view.wanted) {
      view.wanted = status.pdf;
      showPdf(status.pdf, status.pdf_build).catch((error) => console.error(error));
    }
  }
}

document.getElementById("zoom-in").addEventListener("click", () => zoom(1));
document.getElementById("zoom-out").addEventListener("click", () => zoom(-1));
follow();
