// Keyboard shortcut: "/" focuses the search box (unless typing in a field already).
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("q");
  if (event.key !== "/" || !box) return;
  const tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
  event.preventDefault();
  box.focus();
});
