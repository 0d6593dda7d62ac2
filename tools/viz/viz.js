// tools/viz/viz.js - draws a run's memory snapshots: the frame map and the
// swap area as grids coloured by state, at the snapshot the slider picks;
// the numbers and the processes of that snapshot; and plots over the run.
//
// The snapshots are in the page (the "snapshots" script element), one object
// each, as the kernel wrote them (the format: the top of mm/memsnap.c).
// The address can name the snapshot to show: index.html#t=5, #t=last.
// Live (make run VIZ=live), the page starts with none and asks its server
// (tools/viz/live.py) for new ones every second.
// No libraries: a canvas and a few loops.
"use strict";

const SNAPS = JSON.parse(document.getElementById("snapshots").textContent);
const LIVE = document.body.dataset.live === "1";

// What a frame holds: STATE letter -> name and colour (mm/memsnap.c).
const FRAME_STATES = {
	F: ["free", "#e9e9e9"],
	R: ["reserved (firmware, kernel image, struct pages)", "#4d4d4d"],
	K: ["kernel (heap, stacks, ...)", "#9467bd"],
	P: ["page table", "#e6ac00"],
	C: ["page cache", "#1f77b4"],
	A: ["anonymous", "#d62728"],
	W: ["swap cache, clean", "#2ca02c"],
	D: ["swap cache, dirty", "#ff7f0e"],
	L: ["locked for I/O", "#000000"],
};
const SLOT_STATES = {
	H: ["header", "#4d4d4d"],
	B: ["bad", "#8c564b"],
	F: ["free", "#e9e9e9"],
	U: ["in use (page tables hold it)", "#d62728"],
	C: ["only in the swap cache", "#2ca02c"],
};
// struct page's flags, bit by bit (mm/page.h).
const PAGE_FLAGS = ["RESERVED", "BUDDY", "SLAB", "KMALLOC", "PGTABLE", "KSTACK", "ANON",
	"LOCKED", "UPTODATE", "SWAPCACHE", "LRU", "ACTIVE", "WRITEBACK", "DIRTY", "READAHEAD",
	"REFERENCED", "SCAN"];
const PAGE_SIZE = 4096;

// ---- Decoding a snapshot ----

// "COUNT,STATE,FLAGS,REF,MAP,OWNER,INDEX;..." -> runs, each knowing its first frame.
function frameRuns(snap) {
	let start = 0;
	return snap.frames.split(";").map(text => {
		const f = text.split(",");
		const run = { start: start, count: +f[0], state: f[1], flags: parseInt(f[2], 16),
			ref: +f[3], map: +f[4], owner: f[5], index: +f[6] };
		start += run.count;
		return run;
	});
}

// "COUNT,STATE,USERS;..." -> runs of swap slots.
function slotRuns(snap) {
	let start = 0;
	return snap.swap === "" ? [] : snap.swap.split(";").map(text => {
		const f = text.split(",");
		const run = { start: start, count: +f[0], state: f[1], users: +f[2] };
		start += run.count;
		return run;
	});
}

// The run holding item i (runs sorted by start), or null.
function runAt(runs, i) {
	let lo = 0, hi = runs.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (i < runs[mid].start) hi = mid - 1;
		else if (i >= runs[mid].start + runs[mid].count) lo = mid + 1;
		else return runs[mid];
	}
	return null;
}

function countByState(runs) {
	const counts = {};
	for (const r of runs) counts[r.state] = (counts[r.state] || 0) + r.count;
	return counts;
}

// ---- The grids ----

// How a grid of n cells is laid out: columns, and pixels per cell.
function gridShape(n, width) {
	const cols = n <= 8192 ? 128 : n <= 65536 ? 256 : 1024;
	return { cols: cols, rows: Math.ceil(n / cols), cell: Math.max(1, Math.floor(width / cols)) };
}

function hexToRgb(hex) {
	return [1, 3, 5].map(i => parseInt(hex.substr(i, 2), 16));
}

// Paints one pixel per cell into an image, then scales it up without smoothing.
function drawGrid(canvas, runs, total, states) {
	const shape = gridShape(total, 768);
	canvas.width = shape.cols * shape.cell;
	canvas.height = Math.max(1, shape.rows) * shape.cell;
	const small = document.createElement("canvas");
	small.width = shape.cols;
	small.height = Math.max(1, shape.rows);
	const img = small.getContext("2d").createImageData(small.width, small.height);
	for (const r of runs) {
		const rgb = hexToRgb((states[r.state] || ["?", "#ff00ff"])[1]);
		for (let i = r.start; i < r.start + r.count; i++) {
			img.data[i * 4] = rgb[0];
			img.data[i * 4 + 1] = rgb[1];
			img.data[i * 4 + 2] = rgb[2];
			img.data[i * 4 + 3] = 255;
		}
	}
	small.getContext("2d").putImageData(img, 0, 0);
	const ctx = canvas.getContext("2d");
	ctx.imageSmoothingEnabled = false;
	ctx.clearRect(0, 0, canvas.width, canvas.height);
	ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
	canvas.shape = shape;
	// Where the grid is on the page, for tests/viz_check.py to find it in a screenshot.
	const box = canvas.getBoundingClientRect();
	canvas.dataset.grid = [Math.round(box.left + window.scrollX + canvas.clientLeft),
		Math.round(box.top + window.scrollY + canvas.clientTop), shape.cell, shape.cols].join(",");
}

// The cell under the mouse, or -1.
function cellAt(canvas, event, total) {
	const shape = canvas.shape;
	const box = canvas.getBoundingClientRect();
	const col = Math.floor((event.clientX - box.left) / shape.cell);
	const row = Math.floor((event.clientY - box.top) / shape.cell);
	const i = row * shape.cols + col;
	return col >= 0 && col < shape.cols && row >= 0 && i < total ? i : -1;
}

function fillLegend(list, states, counts, idPrefix) {
	list.innerHTML = "";
	for (const key of Object.keys(states)) {
		const item = document.createElement("li");
		item.style.setProperty("--color", states[key][1]);
		item.innerHTML = `${states[key][0]}: <b id="${idPrefix}${key}">${counts[key] || 0}</b>`;
		list.appendChild(item);
	}
}

// ---- Numbers and processes ----

function swapUsed(snap) {
	return snap.mem.swap_total - snap.mem.swap_free;
}

// [label, id, value] for the numbers table; the test reads them by id.
function numbersOf(snap) {
	return [
		["free frames", "num-free", snap.mem.free],
		["page cache", "num-pagecache", snap.mem.pagecache],
		["anonymous", "num-anon", snap.mem.anon],
		["swap cache", "num-swapcache", snap.mem.swapcache],
		["page tables", "num-page_tables", snap.mem.page_tables],
		["swap slots used", "num-swapused", swapUsed(snap)],
		["pgfault", "num-pgfault", snap.vmstat.pgfault],
		["pgmajfault", "num-pgmajfault", snap.vmstat.pgmajfault],
		["pswpin", "num-pswpin", snap.vmstat.pswpin],
		["pswpout", "num-pswpout", snap.vmstat.pswpout],
	];
}

function fillNumbers(snap) {
	const rows = numbersOf(snap).map(([label, id, value]) =>
		`<tr><td>${label}</td><td id="${id}">${value}</td></tr>`);
	document.getElementById("numbers").innerHTML = rows.join("");
}

function escapeHtml(s) {
	return String(s).replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// One row per process: its counts, and the anonymous frames the map gives it.
function fillProcs(snap, runs) {
	const owned = {};
	for (const r of runs)
		if (r.owner[0] === "p") owned[r.owner] = (owned[r.owner] || 0) + r.count;
	const rows = snap.procs.map(p =>
		`<tr><td>${p.pid}</td><td>${escapeHtml(p.name)}</td><td id="proc-${p.pid}-rss">${p.rss}</td>` +
		`<td>${p.swap}</td><td>${owned["p" + p.pid] || 0}</td></tr>`);
	document.getElementById("procs").innerHTML =
		"<tr><th>pid</th><th>name</th><th>RSS</th><th>swap</th><th>anon frames</th></tr>" + rows.join("");
}

// ---- Hover: a frame's struct page, a slot's state ----

function ownerText(snap, run, i) {
	const index = run.index + (i - run.start);
	if (run.owner[0] === "p") {
		const pid = run.owner.substr(1);
		const proc = snap.procs.find(p => String(p.pid) === pid);
		const who = pid === "?" ? "a fork family that has exited" :
			`pid ${pid}${proc ? " (" + proc.name + ")" : ""}`;
		return `owner: ${who}, virtual address 0x${(index * PAGE_SIZE).toString(16)}`;
	}
	if (run.owner[0] === "f") {
		const path = snap.files[+run.owner.substr(1)];
		return `owner: file ${path || "(not mapped by any process)"}, page ${index}`;
	}
	return "owner: none";
}

function describeFrame(snap, run, pfn) {
	const flags = PAGE_FLAGS.filter((name, bit) => run.flags & (1 << bit)).join(" | ");
	return [
		`frame ${pfn} (physical 0x${(pfn * PAGE_SIZE).toString(16)}): ${FRAME_STATES[run.state][0]}`,
		run.state === "F" ? "in a free block of the buddy allocator" :
			`flags 0x${run.flags.toString(16)} ${flags}\nrefcount ${run.ref}, mapcount ${run.map}`,
		ownerText(snap, run, pfn),
		`(a run of ${run.count} frames alike, from frame ${run.start})`,
	].join("\n");
}

// ---- Plots ----

// Draws series ({name, color, values}) against the snapshots' times, with a cursor at index at.
function drawPlot(canvas, series, at, legend) {
	const ctx = canvas.getContext("2d");
	const w = canvas.width, h = canvas.height, left = 52, bottom = 22;
	const times = SNAPS.map(s => s.ms);
	const t0 = times[0], t1 = Math.max(times[times.length - 1], t0 + 1);
	const top = Math.max(1, ...series.flatMap(s => s.values));
	const x = t => left + (t - t0) / (t1 - t0) * (w - left - 8);
	const y = v => (h - bottom) - v / top * (h - bottom - 8);
	ctx.clearRect(0, 0, w, h);
	ctx.fillStyle = "#222";
	ctx.font = "11px sans-serif";
	ctx.strokeStyle = "#bbb";
	ctx.strokeRect(left, 8, w - left - 8, h - bottom - 8);
	ctx.fillText(String(Math.round(top * 10) / 10), 2, 14);
	ctx.fillText("0", 2, h - bottom);
	ctx.fillText(`${t0} ms`, left, h - 6);
	ctx.fillText(`${t1} ms`, w - 60, h - 6);
	for (const s of series) {
		ctx.strokeStyle = s.color;
		ctx.lineWidth = 2;
		ctx.beginPath();
		s.values.forEach((v, i) => i ? ctx.lineTo(x(times[i]), y(v)) : ctx.moveTo(x(times[i]), y(v)));
		ctx.stroke();
	}
	ctx.strokeStyle = "#000";
	ctx.lineWidth = 1;
	ctx.beginPath();
	ctx.moveTo(x(times[at]), 8);
	ctx.lineTo(x(times[at]), h - bottom);
	ctx.stroke();
	legend.innerHTML = series.map(s =>
		`<li style="--color:${s.color}">${s.name}</li>`).join("");
}

function drawPlots(at) {
	const mib = pages => pages * PAGE_SIZE / (1 << 20);
	drawPlot(document.getElementById("plot-memory"), [
		{ name: "free", color: "#7f7f7f", values: SNAPS.map(s => mib(s.mem.free)) },
		{ name: "page cache", color: FRAME_STATES.C[1], values: SNAPS.map(s => mib(s.mem.pagecache)) },
		{ name: "anonymous", color: FRAME_STATES.A[1], values: SNAPS.map(s => mib(s.mem.anon)) },
		{ name: "swap used", color: "#17becf", values: SNAPS.map(s => mib(swapUsed(s))) },
	], at, document.getElementById("plot-memory-legend"));
	drawPlot(document.getElementById("plot-events"), [
		{ name: "pswpin", color: "#2ca02c", values: SNAPS.map(s => s.vmstat.pswpin) },
		{ name: "pswpout", color: "#ff7f0e", values: SNAPS.map(s => s.vmstat.pswpout) },
		{ name: "pgmajfault", color: "#9467bd", values: SNAPS.map(s => s.vmstat.pgmajfault) },
	], at, document.getElementById("plot-events-legend"));
}

// ---- Putting it together ----

let shown = 0;          // index of the snapshot on screen
let frames = [], slots = [];

function show(i) {
	shown = Math.max(0, Math.min(SNAPS.length - 1, i));
	const snap = SNAPS[shown];
	frames = frameRuns(snap);
	slots = slotRuns(snap);
	drawGrid(document.getElementById("frames"), frames, snap.pfns, FRAME_STATES);
	drawGrid(document.getElementById("swap"), slots, snap.slots, SLOT_STATES);
	fillLegend(document.getElementById("frame-legend"), FRAME_STATES, countByState(frames), "count-");
	fillLegend(document.getElementById("swap-legend"), SLOT_STATES, countByState(slots), "slots-");
	fillNumbers(snap);
	fillProcs(snap, frames);
	drawPlots(shown);
	document.getElementById("slider").value = shown;
	document.getElementById("when").textContent =
		`snapshot ${snap.seq} (${shown + 1} of ${SNAPS.length}), ${snap.ms} ms, ${snap.why}`;
	document.getElementById("frames-size").textContent = `${snap.pfns} frames of 4 KiB`;
	document.getElementById("swap-size").textContent = `${snap.slots} slots`;
	document.body.dataset.shown = shown;
	history.replaceState(null, "", "#t=" + shown);
}

// #t=N or #t=last; anything else: the first snapshot.
function snapshotFromHash() {
	const m = /t=(\d+|last)/.exec(location.hash);
	if (!m) return 0;
	return m[1] === "last" ? SNAPS.length - 1 : +m[1];
}

let timer = null;
function togglePlay() {
	const button = document.getElementById("play");
	if (SNAPS.length === 0) return;
	if (timer) {
		clearInterval(timer);
		timer = null;
		button.textContent = "\u25B6 play";
		return;
	}
	if (shown === SNAPS.length - 1) show(0);
	button.textContent = "\u275A\u275A pause";
	timer = setInterval(() => {
		if (shown === SNAPS.length - 1) togglePlay();
		else show(shown + 1);
	}, 300);
}

// Live: adds the snapshots the server has got since, and follows them while
// the slider is at the last one.
function pollLive() {
	fetch("snapshots?from=" + SNAPS.length)
		.then(reply => reply.json())
		.then(more => {
			if (more.length === 0) return;
			const following = SNAPS.length === 0 || shown === SNAPS.length - 1;
			SNAPS.push(...more);
			document.getElementById("slider").max = SNAPS.length - 1;
			show(following ? SNAPS.length - 1 : shown);
		})
		.catch(() => { document.getElementById("when").textContent = "(the server is gone)"; })
		.finally(() => setTimeout(pollLive, 1000));
}

function setup() {
	const slider = document.getElementById("slider");
	slider.max = Math.max(0, SNAPS.length - 1);
	slider.addEventListener("input", () => show(+slider.value));
	document.getElementById("play").addEventListener("click", togglePlay);
	const hover = document.getElementById("hover");
	document.getElementById("frames").addEventListener("mousemove", e => {
		const pfn = cellAt(e.target, e, SNAPS[shown].pfns);
		const run = pfn < 0 ? null : runAt(frames, pfn);
		if (run) hover.textContent = describeFrame(SNAPS[shown], run, pfn);
	});
	document.getElementById("swap").addEventListener("mousemove", e => {
		const slot = cellAt(e.target, e, SNAPS[shown].slots);
		const run = slot < 0 ? null : runAt(slots, slot);
		if (run) hover.textContent = `swap slot ${slot}: ${SLOT_STATES[run.state][0]}` +
			(run.state === "U" ? `, held by ${run.users} page table entries` : "");
	});
	window.addEventListener("hashchange", () => show(snapshotFromHash()));
	if (SNAPS.length > 0) show(snapshotFromHash());
	else document.getElementById("when").textContent = "waiting for the first snapshot";
	if (LIVE) pollLive();
	document.body.dataset.ready = "1";
}

setup();
