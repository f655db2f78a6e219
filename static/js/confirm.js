// Ask before sending a form marked data-confirm="question". The CSP forbids inline handlers.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
