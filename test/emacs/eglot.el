;;; eglot.el --- Emacs (28+, Debian's emacs-nox) with eglot (Debian's elpa-eglot) as an LSP client of
;;; `serverless-security-lsp --stdio`, the command on PATH, configured exactly as the README's snippet does.
;;; Asserts that diagnostics with our codes reach flymake for the visited file.  Exit code 0 only then.
;;; usage: SLS_EXPECT=SLS101,SLS301 emacs --batch -Q -l eglot.el FILE   (see run.sh)
(require 'package)
;; -Q skips Debian's site-start, which would add the system-wide ELPA folder (elpa-eglot and its newer project/xref).
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)

(defun sls-log (fmt &rest args) (princ (concat "[emacs] " (apply #'format fmt args) "\n")))
(defun sls-finish (code msg) (sls-log "%s" msg) (kill-emacs code))

;; No YAML major mode ships with emacs-nox 28: a minimal one named as the README's snippet expects.
(unless (fboundp 'yaml-mode) (define-derived-mode yaml-mode text-mode "YAML"))
(add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . yaml-mode))

;; The README's snippet, verbatim.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((yaml-mode yaml-ts-mode json-mode json-ts-mode) . ("serverless-security-lsp" "--stdio"))))

(let* ((file (car command-line-args-left))
       (expected (split-string (or (getenv "SLS_EXPECT") "SLS101,SLS301") ","))
       (deadline (+ (float-time) 60))
       codes)
  (setq command-line-args-left nil)
  (unless file (sls-finish 2 "FAIL: no file given"))
  (find-file file)
  (sls-log "emacs %s, %s in %s" emacs-version (file-name-nondirectory file) major-mode)
  (eglot-ensure)
  ;; eglot-ensure connects from post-command-hook, which batch mode never runs.
  (while (and (not (eglot-current-server)) (< (float-time) deadline))
    (run-hooks 'post-command-hook)
    (accept-process-output nil 0.1))
  (unless (eglot-current-server) (sls-finish 1 "FAIL: eglot did not connect"))
  (sls-log "connected: %s" (process-command (jsonrpc--process (eglot-current-server))))
  (while (and (< (float-time) deadline)
              (progn
                (setq codes (delete-dups
                             ;; eglot keeps the LSP diagnostic under `eglot-lsp-diag' in flymake's data.
                             (mapcar (lambda (d) (format "%s" (plist-get (cdr (assq 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)))
                                     (flymake-diagnostics))))
                (cl-some (lambda (e) (not (member e codes))) expected)))
    (accept-process-output nil 0.2))
  (dolist (d (flymake-diagnostics))
    (sls-log "diagnostic line %d: %s" (line-number-at-pos (flymake-diagnostic-beg d)) (flymake-diagnostic-text d)))
  (let ((missing (cl-remove-if (lambda (e) (member e codes)) expected)))
    (if missing
        (sls-finish 1 (format "FAIL: no diagnostic with code %s (got %s)" missing codes))
      (eglot-shutdown (eglot-current-server))
      (sls-finish 0 "PASS: diagnostics through eglot and flymake"))))
